package io.mathdb.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code GET /tables/{table}/count}. */
@Schema(name = "Count")
record CountResponse(long count) {
}
