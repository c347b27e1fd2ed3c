package io.mathdb.web;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.swagger.v3.oas.annotations.media.Schema;

/** A column as JSON, in table definitions and listings. */
@Schema(name = "Column")
record ColumnJson(
        @Schema(example = "id", requiredMode = Schema.RequiredMode.REQUIRED) String name,
        @Schema(example = "Int64", description = "Int8 Int16 Int32 Int64 UInt8 UInt16 UInt32 UInt64 Float32 Float64 "
                + "Boolean Utf8 (alias String) Date Datetime Decimal(p,s) Binary",
                requiredMode = Schema.RequiredMode.REQUIRED) String type,
        @Schema(description = "exactly one column of a table is the primary key", defaultValue = "false")
        Boolean primaryKey,
        @Schema(description = "columns other than the key are nullable unless declared otherwise",
                defaultValue = "true") Boolean nullable) {

    static ColumnJson of(Column column) {
        return new ColumnJson(column.name(), column.type().name(), column.primaryKey(), column.nullable());
    }

    Column toColumn() {
        ColumnType columnType;
        try {
            columnType = ColumnType.parse(type);
        } catch (MathDbException e) {
            throw new MathDbException(e.code(), "column '" + name + "': " + e.getMessage(), e);
        }
        return new Column(name, columnType, Boolean.TRUE.equals(primaryKey), !Boolean.FALSE.equals(nullable));
    }

    static MathDbException missing(int index) {
        return new MathDbException(ErrorCode.INVALID_SCHEMA, "columns[" + index + "] is null; expected a column");
    }
}
