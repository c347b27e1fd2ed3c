package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.RowChange;
import java.util.HashMap;
import java.util.Map;

/** Turns a caller's {@link RowOp} into a coerced, loggable {@link RowChange}. */
final class RowOps {
    private RowOps() {
    }

    static RowChange toChange(Catalog catalog, RowOp op) {
        if (op == null || op.kind() == null) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "an operation needs an 'op'");
        }
        TableSchema schema = catalog.require(op.table());
        String table = schema.name();
        return switch (op.kind()) {
            case INSERT, UPSERT -> {
                Object[] row = schema.coerceRow(requireRow(op));
                yield new RowChange(op.kind() == RowOp.Kind.INSERT ? RowChange.Kind.INSERT : RowChange.Kind.UPSERT,
                        table, row[schema.keyIndex()], row, null);
            }
            case UPDATE -> {
                Object key = key(schema, op);
                Map<String, Object> body = new HashMap<>(requireRow(op));
                int k = schema.keyIndex();
                String keyName = schema.key().name();
                body.keySet().stream().filter(keyName::equalsIgnoreCase).findFirst().ifPresentOrElse(given -> {
                    Object bodyKey = schema.coerceKey(body.get(given));
                    if (!bodyKey.equals(key)) {
                        throw schema.keyMismatch(key, bodyKey);
                    }
                }, () -> body.put(keyName, key));
                Object[] row = schema.coerceRow(body);
                yield new RowChange(RowChange.Kind.REPLACE, table, row[k], row, null);
            }
            case PATCH -> {
                Object key = key(schema, op);
                TableSchema.Patch patch = schema.coercePatch(key, requireRow(op));
                yield new RowChange(RowChange.Kind.PATCH, table, key, patch.values(), patch.set());
            }
            case DELETE -> new RowChange(RowChange.Kind.DELETE, table, key(schema, op), null, null);
        };
    }

    /** The addressed key: the op's own, else the key column of its row. */
    private static Object key(TableSchema schema, RowOp op) {
        Object key = op.key();
        if (key == null && op.row() != null) {
            for (Map.Entry<String, ?> e : op.row().entrySet()) {
                if (e.getKey().equalsIgnoreCase(schema.key().name())) {
                    key = e.getValue();
                }
            }
        }
        return schema.coerceKey(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requireRow(RowOp op) {
        if (op.row() == null) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "operation " + op.kind().name().toLowerCase()
                    + " needs a 'row'");
        }
        return (Map<String, Object>) op.row();
    }
}
