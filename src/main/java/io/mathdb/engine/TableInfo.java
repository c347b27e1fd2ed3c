package io.mathdb.engine;

import io.mathdb.engine.schema.TableSchema;

/** A table's schema and its current row count. */
public record TableInfo(TableSchema schema, long rows) {
}
