package io.mathdb.engine.schema;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's name and columns, exactly one of them the primary key. Immutable; rows are {@code Object[]} in column
 * order holding each type's canonical Java value (see {@link ColumnType#coerce}).
 */
public record TableSchema(String name, List<Column> columns) {
    public TableSchema {
        Names.check("table", name);
        if (columns == null || columns.isEmpty()) {
            throw invalid("table '" + name + "' needs at least one column");
        }
        columns = List.copyOf(columns);
        Map<String, String> seen = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Column column : columns) {
            String previous = seen.put(Names.key(column.name()), column.name());
            if (previous != null) {
                throw invalid("table '" + name + "' has column '" + column.name() + "' twice (names ignore case: '"
                        + previous + "')");
            }
            if (column.primaryKey()) {
                keys.add(column.name());
            }
        }
        if (keys.size() != 1) {
            throw invalid("table '" + name + "' must have exactly one primary-key column; it has "
                    + (keys.isEmpty() ? "none" : keys.size() + " " + keys));
        }
        Column key = columns.get(keyIndex(columns));
        TypeKind keyKind = key.type().kind();
        if (keyKind == TypeKind.BINARY || keyKind == TypeKind.FLOAT32 || keyKind == TypeKind.FLOAT64
                || keyKind == TypeKind.BOOLEAN) {
            throw invalid("table '" + name + "': primary key '" + key.name() + "' cannot be of type "
                    + key.type().name() + "; use an integer type, Utf8, Date, Datetime or Decimal");
        }
    }

    public static TableSchema of(String name, Column... columns) {
        return new TableSchema(name, List.of(columns));
    }

    private static int keyIndex(List<Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).primaryKey()) {
                return i;
            }
        }
        throw new IllegalStateException("no primary key");
    }

    /** Position of the primary-key column. */
    public int keyIndex() {
        return keyIndex(columns);
    }

    public Column key() {
        return columns.get(keyIndex());
    }

    /** Position of the named column (any case), or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Position of the named column, or an {@code unknown_column} error naming it. */
    public int require(String column) {
        int i = indexOf(column);
        if (i < 0) {
            throw new MathDbException(ErrorCode.UNKNOWN_COLUMN, "table '" + name + "' has no column '" + column + "'");
        }
        return i;
    }

    /** Coerces a key value to the key column's type; null keys are refused. */
    public Object coerceKey(Object key) {
        Column k = key();
        if (key == null) {
            throw new MathDbException(ErrorCode.NULL_KEY, "table '" + name + "': key '" + k.name() + "' is null");
        }
        return k.type().coerce(key, k.name());
    }

    /**
     * Turns a full row given by column name into a positional row: unknown columns, wrong types, out-of-range values,
     * a null key and a missing or null non-nullable column are refused. Absent nullable columns are null.
     */
    public Object[] coerceRow(Map<String, ?> values) {
        RowBuilder row = new RowBuilder(this);
        values.forEach(row::set);
        return row.finish();
    }

    /**
     * Turns a partial row into positional values plus a mask of the columns it sets. The key may be absent; if present
     * it must equal {@code key}.
     */
    public Patch coercePatch(Object key, Map<String, ?> values) {
        RowBuilder row = new RowBuilder(this);
        values.forEach(row::set);
        return row.finishPatch(key);
    }

    public MathDbException keyMismatch(Object key, Object bodyKey) {
        return new MathDbException(ErrorCode.KEY_MISMATCH, "table '" + name + "': the body's key '" + key().name()
                + "' is " + bodyKey + " but the addressed row is " + key);
    }

    /** A positional row as a map from column name to value, in column order. */
    public Map<String, Object> toMap(Object[] row) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            map.put(columns.get(i).name(), row[i]);
        }
        return map;
    }

    /** Some columns of one row: {@code values[i]} is meaningful where {@code set[i]}. */
    public record Patch(Object[] values, boolean[] set) {
    }

    private static MathDbException invalid(String message) {
        return new MathDbException(ErrorCode.INVALID_SCHEMA, message);
    }
}
