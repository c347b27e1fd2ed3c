package io.mathdb.engine;

import io.mathdb.engine.schema.RowBuilder;
import io.mathdb.engine.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows for one insert into one table, coerced as the caller reads them, one value at a time (see
 * {@link Database#coerceRows} and {@link Database#insertAsync(CoercedRows, OnConflict, Durability)}): a request
 * body can be parsed straight into positional rows, with no map or tree per row in between.
 *
 * <p>It keeps the schema its rows were coerced for, which the insert checks is still the table's (reading a body
 * can take a while, and the table may have been dropped meanwhile), and the first row it refused, with that row's
 * index: rows after it are only counted, and the insert fails with the refusal, located as {@code rows[i]} when
 * there is more than one row. Nothing is written for a batch with a refused row. Not thread-safe.
 */
public final class CoercedRows {
    private final RowBuilder builder;
    private final List<Object[]> rows = new ArrayList<>();
    private int count;
    private MathDbException refusal;
    private int refusedAt;

    CoercedRows(TableSchema schema) {
        this.builder = new RowBuilder(schema);
    }

    public TableSchema schema() {
        return builder.schema();
    }

    /** Sets a column of the current row, by name in any case; a refused value refuses the row. */
    public void set(String column, Object value) {
        if (refusal != null) {
            return;
        }
        try {
            builder.set(column, value);
        } catch (MathDbException e) {
            refuse(e);
        }
    }

    /** Ends the current row; one missing its key or a non-nullable column is refused. */
    public void endRow() {
        if (refusal == null) {
            try {
                rows.add(builder.finish());
            } catch (MathDbException e) {
                refuse(e);
            }
        }
        count++;
    }

    /** Adds a whole row given by column name; a null row is refused. */
    public void add(Map<String, ?> row) {
        if (row == null) {
            refuse(new MathDbException(ErrorCode.INVALID_REQUEST, "a row is null"));
        } else {
            row.forEach(this::set);
        }
        endRow();
    }

    /** The number of rows ended so far, refused ones included. */
    public int size() {
        return count;
    }

    private void refuse(MathDbException e) {
        if (refusal == null) {
            refusal = e;
            refusedAt = count;
        }
    }

    /** The first refusal, or null if every row was coerced. */
    MathDbException refusal() {
        return refusal;
    }

    /** The index of the row the first refusal refused. */
    int refusedAt() {
        return refusedAt;
    }

    /** The coerced rows, in order; meaningful only without a refusal. */
    List<Object[]> rows() {
        return rows;
    }
}
