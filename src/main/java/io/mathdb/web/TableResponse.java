package io.mathdb.web;

import io.mathdb.engine.schema.TableSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A table as listed: its schema and its row count. */
@Schema(name = "Table")
record TableResponse(String name, List<ColumnJson> columns, long rows) {

    static TableResponse of(TableSchema schema, long rows) {
        return new TableResponse(schema.name(), schema.columns().stream().map(ColumnJson::of).toList(), rows);
    }
}
