package io.mathdb.web;

import io.mathdb.engine.WriteResult;
import io.swagger.v3.oas.annotations.media.Schema;

/** What a row write answers: how many rows it changed and its log sequence number (also in {@code MathDB-LSN}). */
@Schema(name = "WriteResult")
record WriteResponse(long rows, long lsn) {

    static WriteResponse of(WriteResult result) {
        return new WriteResponse(result.rows(), result.lsn());
    }
}
