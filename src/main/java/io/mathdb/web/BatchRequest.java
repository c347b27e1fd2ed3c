package io.mathdb.web;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.RowOp;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The body of {@code POST /batch}: operations over one or more tables, applied in order, all or none. */
@Schema(name = "Batch")
record BatchRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Op> ops) {

    /**
     * One operation. {@code row} is the full row for insert, upsert and update and some columns for patch;
     * {@code key} addresses the row for update, patch and delete (else the key column of {@code row} does).
     */
    @Schema(name = "BatchOp")
    record Op(
            @Schema(allowableValues = {"insert", "upsert", "update", "patch", "delete"},
                    requiredMode = Schema.RequiredMode.REQUIRED) String op,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String table,
            @Schema(type = "object", description = "column name to value") JsonNode row,
            @Schema(description = "the addressed row's key", types = {"integer", "string"}) JsonNode key) {
    }

    List<RowOp> toRowOps() {
        if (ops == null) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "the body needs 'ops': a list of operations");
        }
        List<RowOp> rowOps = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            rowOps.add(toRowOp(ops.get(i), "ops[" + i + "]"));
        }
        return rowOps;
    }

    private static RowOp toRowOp(Op op, String where) {
        if (op == null) {
            throw invalid(where + " is null; expected an operation");
        }
        if (op.op() == null) {
            throw invalid(where + " needs 'op': insert, upsert, update, patch or delete");
        }
        if (op.table() == null) {
            throw invalid(where + " needs 'table'");
        }
        RowOp.Kind kind = switch (op.op().toLowerCase(Locale.ROOT)) {
            case "insert" -> RowOp.Kind.INSERT;
            case "upsert" -> RowOp.Kind.UPSERT;
            case "update" -> RowOp.Kind.UPDATE;
            case "patch" -> RowOp.Kind.PATCH;
            case "delete" -> RowOp.Kind.DELETE;
            default -> throw invalid(where + ": unknown op '" + op.op()
                    + "'; expected insert, upsert, update, patch or delete");
        };
        Map<String, Object> row = op.row() == null || op.row().isNull() ? null : RowJson.row(op.row(), where + ".row");
        return new RowOp(kind, op.table(), row, RowJson.value(op.key()));
    }

    private static MathDbException invalid(String message) {
        return new MathDbException(ErrorCode.INVALID_REQUEST, message);
    }
}
