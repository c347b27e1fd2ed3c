package io.mathdb.engine;

import java.util.Map;

/**
 * One operation of an atomic {@link Database#batch batch}. {@code row} holds column values by name (a full row for
 * insert, upsert and update; some columns for patch); {@code key} addresses the row for update, patch and delete.
 */
public record RowOp(Kind kind, String table, Map<String, ?> row, Object key) {
    public enum Kind { INSERT, UPSERT, UPDATE, PATCH, DELETE }

    public static RowOp insert(String table, Map<String, ?> row) {
        return new RowOp(Kind.INSERT, table, row, null);
    }

    public static RowOp upsert(String table, Map<String, ?> row) {
        return new RowOp(Kind.UPSERT, table, row, null);
    }

    public static RowOp update(String table, Object key, Map<String, ?> row) {
        return new RowOp(Kind.UPDATE, table, row, key);
    }

    public static RowOp patch(String table, Object key, Map<String, ?> row) {
        return new RowOp(Kind.PATCH, table, row, key);
    }

    public static RowOp delete(String table, Object key) {
        return new RowOp(Kind.DELETE, table, null, key);
    }
}
