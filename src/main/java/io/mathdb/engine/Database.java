package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.KeyLookups;
import io.mathdb.engine.store.ReadPool;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.RowChange;
import io.mathdb.engine.write.WriteLog;
import io.mathdb.engine.write.Writer;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A MathDB database: typed tables in an in-memory DuckDB, every change logged before it is applied, one writer
 * thread, many readers.
 *
 * <pre>{@code
 * try (var db = Database.open(Path.of("data"), DatabaseOptions.DEFAULTS)) {
 *     var users = db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
 *             Column.of("name", ColumnType.parse("Utf8"))));
 *     users.insert(Map.of("id", 1L, "name", "Alice"));
 *     users.get(1L);
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
    private final DuckStore store;
    private final Catalog catalog = new Catalog();
    private final Writer writer;
    private final KeyLookups lookups;
    private final ReadPool reads;
    private final Storage storage;

    private Database(Path dir, DatabaseOptions options) throws SQLException {
        store = new DuckStore();
        storage = Storage.open(dir, options, store, catalog);
        writer = new Writer(store, catalog, storage.log());
        lookups = new KeyLookups(store, 2);
        reads = new ReadPool(store, options.readConnections());
    }

    /** Opens (recovering if there is data) the database in {@code dir}, which only this process may use. */
    public static Database open(Path dir, DatabaseOptions options) {
        try {
            return new Database(dir, options);
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    public static Database open(Path dir) {
        return open(dir, DatabaseOptions.DEFAULTS);
    }

    // ---- tables ----

    public Table create(TableSchema schema) {
        createTable(schema, Durability.DEFAULT);
        return new Table(this, schema.name());
    }

    public WriteResult createTable(TableSchema schema, Durability durability) {
        return await(writer.submit(new Mutation.CreateTable(schema), durability));
    }

    public WriteResult drop(String table, Durability durability) {
        return await(writer.submit(new Mutation.DropTable(catalog.require(table).name()), durability));
    }

    /** A handle on an existing table; {@code no_such_table} if there is none. */
    public Table table(String name) {
        return new Table(this, catalog.require(name).name());
    }

    public Optional<Table> find(String name) {
        TableSchema schema = catalog.find(name);
        return schema == null ? Optional.empty() : Optional.of(new Table(this, schema.name()));
    }

    public TableSchema schema(String table) {
        return catalog.require(table);
    }

    /** Every table with its schema and row count, by name. */
    public List<TableInfo> tables() {
        List<TableInfo> infos = new ArrayList<>();
        for (TableSchema schema : catalog.all()) {
            infos.add(new TableInfo(schema, count(schema.name())));
        }
        return infos;
    }

    // ---- writes ----

    WriteResult insert(String table, List<? extends Map<String, ?>> rows, OnConflict onConflict,
                       Durability durability) {
        TableSchema schema = catalog.require(table);
        RowChange.Kind kind = switch (onConflict) {
            case ERROR -> RowChange.Kind.INSERT;
            case UPDATE -> RowChange.Kind.UPSERT;
            case IGNORE -> RowChange.Kind.INSERT_IGNORE;
        };
        List<RowChange> changes = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, ?> row = rows.get(i);
            if (row == null) {
                throw new MathDbException(ErrorCode.INVALID_REQUEST, at(rows.size(), "rows", i) + "a row is null");
            }
            try {
                Object[] values = schema.coerceRow(row);
                changes.add(new RowChange(kind, schema.name(), values[schema.keyIndex()], values, null));
            } catch (MathDbException e) {
                throw located(e, at(rows.size(), "rows", i));
            }
        }
        return submit(changes, durability);
    }

    /** Applies the operations in order, atomically: all of them or, if any fails, none. */
    public WriteResult batch(List<RowOp> ops, Durability durability) {
        if (ops == null || ops.isEmpty()) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "a batch needs at least one operation");
        }
        List<RowChange> changes = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            try {
                changes.add(RowOps.toChange(catalog, ops.get(i)));
            } catch (MathDbException e) {
                throw located(e, at(ops.size(), "ops", i));
            }
        }
        return submit(changes, durability);
    }

    private WriteResult submit(List<RowChange> changes, Durability durability) {
        if (changes.isEmpty()) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "no rows to write");
        }
        return await(writer.submit(new Mutation.RowChanges(changes), durability));
    }

    // ---- reads ----

    Optional<Map<String, Object>> get(String table, Object key) {
        TableSchema schema = catalog.require(table);
        Object[] row = await(lookups.get(schema, schema.coerceKey(key)));
        return row == null ? Optional.empty() : Optional.of(schema.toMap(row));
    }

    long count(String table) {
        TableSchema schema = catalog.require(table);
        return reads.read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM main." + io.mathdb.engine.schema.Names.quote(schema.name()))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The LSN of the last write visible to readers. */
    public long lastLsn() {
        return writer.appliedLsn();
    }

    // ---- lifecycle ----

    /** Stops accepting writes, applies the queued ones, makes everything durable and releases the directory. */
    @Override
    public void close() {
        writer.close();
        try {
            lookups.close();
            reads.close();
            storage.close();
            store.close();
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "closing DuckDB failed: " + e.getMessage(), e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof MathDbException m) {
                throw m;
            }
            throw new MathDbException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MathDbException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private static String at(int size, String what, int index) {
        return size > 1 ? what + "[" + index + "]: " : "";
    }

    private static MathDbException located(MathDbException e, String where) {
        return where.isEmpty() ? e : new MathDbException(e.code(), where + e.getMessage(), e);
    }
}
