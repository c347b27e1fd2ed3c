package io.mathdb.engine;

import io.mathdb.engine.schema.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on one table, mirroring the original library's {@code Table}: insert, update, upsert, delete, count.
 * Rows are maps from column name to value; values are coerced to the column types (see
 * {@link io.mathdb.engine.schema.ColumnType#coerce}). Every write is atomic, logged, and acknowledged with its LSN.
 */
public final class Table {
    private final Database db;
    private final String name;

    Table(Database db, String name) {
        this.db = db;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The table's current schema; fails with {@code no_such_table} once the table is dropped. */
    public TableSchema schema() {
        return db.schema(name);
    }

    public WriteResult insert(Map<String, ?> row) {
        return insert(List.of(row), OnConflict.ERROR, Durability.DEFAULT);
    }

    /** Inserts all rows or none; with {@link OnConflict#ERROR} a key that exists or repeats fails the whole call. */
    public WriteResult insert(List<? extends Map<String, ?>> rows, OnConflict onConflict, Durability durability) {
        return db.insert(name, rows, onConflict, durability);
    }

    /**
     * As {@link #insert(List, OnConflict, Durability)}, without waiting: a row that cannot be written is refused at
     * once; otherwise the future completes when the write is acknowledged, or fails with a {@link MathDbException}.
     */
    public CompletableFuture<WriteResult> insertAsync(List<? extends Map<String, ?>> rows, OnConflict onConflict,
                                                      Durability durability) {
        return db.insertAsync(name, rows, onConflict, durability);
    }

    public WriteResult upsert(Map<String, ?> row) {
        return insert(List.of(row), OnConflict.UPDATE, Durability.DEFAULT);
    }

    /** Replaces the whole row stored under {@code key}; {@code no_such_row} if there is none. */
    public WriteResult update(Object key, Map<String, ?> row) {
        return update(key, row, Durability.DEFAULT);
    }

    public WriteResult update(Object key, Map<String, ?> row, Durability durability) {
        return db.batch(List.of(RowOp.update(name, key, row)), durability);
    }

    /** Sets some columns of the row stored under {@code key}; {@code no_such_row} if there is none. */
    public WriteResult patch(Object key, Map<String, ?> columns) {
        return patch(key, columns, Durability.DEFAULT);
    }

    public WriteResult patch(Object key, Map<String, ?> columns, Durability durability) {
        return db.batch(List.of(RowOp.patch(name, key, columns)), durability);
    }

    /** Deletes the row stored under {@code key}; {@code no_such_row} if there is none. */
    public WriteResult delete(Object key) {
        return delete(key, Durability.DEFAULT);
    }

    public WriteResult delete(Object key, Durability durability) {
        return db.batch(List.of(RowOp.delete(name, key)), durability);
    }

    /** The row stored under {@code key}, as column name to value in column order. */
    public Optional<Map<String, Object>> get(Object key) {
        return db.get(name, key);
    }

    public long count() {
        return db.count(name);
    }
}
