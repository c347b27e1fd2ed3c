package io.mathdb.web;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.TableSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /tables}. */
@Schema(name = "TableDefinition")
record TableRequest(
        @Schema(example = "users", requiredMode = Schema.RequiredMode.REQUIRED) String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ColumnJson> columns) {

    TableSchema toSchema() {
        if (columns == null) {
            throw new MathDbException(ErrorCode.INVALID_SCHEMA, "table '" + name + "' needs a 'columns' list");
        }
        List<Column> parsed = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ColumnJson column = columns.get(i);
            if (column == null) {
                throw ColumnJson.missing(i);
            }
            parsed.add(column.toColumn());
        }
        return new TableSchema(name, parsed);
    }
}
