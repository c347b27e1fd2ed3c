package io.mathdb.engine.schema;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.util.List;

/**
 * Builds positional rows of one schema from named values, one value at a time, so a caller reading a row (from a
 * map, or straight off a JSON stream) never has to collect it first. Each value is coerced into its column's slot as
 * it is set; {@link #finish} applies the checks only a whole row allows. This is the one implementation of the row
 * checks: {@link TableSchema#coerceRow} and {@link TableSchema#coercePatch} use it too, so every way a row arrives is
 * refused with the same messages.
 *
 * <p>One builder serves many rows in turn and is not thread-safe. Once it has refused a value or a row it is spent:
 * its half-built row is not cleared.
 */
public final class RowBuilder {
    private final TableSchema schema;
    private final List<Column> columns;
    private Object[] values;
    private boolean[] present;
    /**
     * The names met at each position of earlier rows and their columns: a body of many rows nearly always repeats
     * the same names in the same order, and an exact match skips the case-insensitive search over the columns.
     */
    private final String[] seenNames;
    private final int[] seenColumns;
    private int position;

    public RowBuilder(TableSchema schema) {
        this.schema = schema;
        this.columns = schema.columns();
        this.values = new Object[columns.size()];
        this.present = new boolean[columns.size()];
        this.seenNames = new String[columns.size()];
        this.seenColumns = new int[columns.size()];
    }

    public TableSchema schema() {
        return schema;
    }

    /**
     * Sets a column of the current row, named in any case: an unknown column, a column given twice and a value that
     * does not fit the column's type are refused here.
     */
    public void set(String column, Object value) {
        int i = column(column);
        Column c = columns.get(i);
        if (present[i]) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST,
                    "table '" + schema.name() + "': column '" + c.name() + "' is given twice");
        }
        present[i] = true;
        values[i] = c.type().coerce(value, c.name());
    }

    /**
     * Ends a full row and returns it, the builder ready for the next: a null or missing key and a null or missing
     * non-nullable column are refused; absent nullable columns are null.
     */
    public Object[] finish() {
        Object[] row = values;
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                checkNull(columns.get(i), present[i]);
            }
            present[i] = false;
        }
        values = new Object[row.length];
        position = 0;
        return row;
    }

    /**
     * Ends a partial row addressed by {@code key}: the key may be absent, and if given must equal {@code key}; a
     * column set to null must be nullable.
     */
    TableSchema.Patch finishPatch(Object key) {
        int k = schema.keyIndex();
        if (present[k] && !key.equals(values[k])) { // the body's key may be null
            throw schema.keyMismatch(key, values[k]);
        }
        values[k] = key;
        present[k] = false;
        for (int i = 0; i < values.length; i++) {
            if (present[i] && values[i] == null) {
                checkNull(columns.get(i), true);
            }
        }
        TableSchema.Patch patch = new TableSchema.Patch(values, present);
        values = new Object[columns.size()];
        present = new boolean[columns.size()];
        position = 0;
        return patch;
    }

    private int column(String name) {
        int at = position++;
        if (at >= seenNames.length) {
            return schema.require(name); // more names than columns: one of them repeats, and set() will say so
        }
        if (name.equals(seenNames[at])) {
            return seenColumns[at];
        }
        int i = schema.require(name);
        seenNames[at] = name;
        seenColumns[at] = i;
        return i;
    }

    private void checkNull(Column c, boolean present) {
        String table = schema.name();
        if (c.primaryKey()) {
            throw new MathDbException(ErrorCode.NULL_KEY, "table '" + table + "': key '" + c.name() + "' is "
                    + (present ? "null" : "missing"));
        }
        if (!c.nullable()) {
            throw new MathDbException(present ? ErrorCode.NULL_VALUE : ErrorCode.MISSING_COLUMN, "table '" + table
                    + "': column '" + c.name() + "' is not nullable and is " + (present ? "null" : "missing"));
        }
    }
}
