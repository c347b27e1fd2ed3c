package io.mathdb.engine.store;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.RowChange;
import io.mathdb.engine.write.Run;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The in-memory DuckDB that holds the tables, seen from the single writer thread. Every group of writes is applied
 * as a few set operations: its rows go through an appender into a per-table staging table (a temp table private to
 * the writer's connection), then one {@code INSERT ... SELECT}, {@code UPDATE ... FROM} or {@code DELETE ... IN}
 * moves them into the table. One statement per row would cap the writer near a thousand writes a second
 * (DUCKDB-NOTES.md); this path costs a handful of statements per group, whatever its size.
 *
 * <p>A table's key is kept unique by a unique index rather than a primary key, so that the index can be dropped
 * while a copy of the table's keys in the heap keeps them unique instead ({@link #dropKeyIndex}), and built again
 * when the copy is given up ({@link #ensureKeyIndex}).
 *
 * <p>Not thread-safe: only the writer thread calls it, and the backlog's thread while the writer waits for it.
 * Readers use {@link #connect()}.
 */
public final class DuckStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DuckStore.class.getName());
    private static final long INDEX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_INDEX_RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DuckDBConnection root;
    private final DuckDBConnection conn;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Per table (by key): see {@link #changeStamp}. */
    private final Map<String, Long> rewrites = new ConcurrentHashMap<>();
    /**
     * Tables (by key) whose key index is dropped, and how its builds failed. Left behind by a drop, which may roll
     * back; a table created under the name clears it.
     */
    private final Map<String, Unbuilt> unindexed = new ConcurrentHashMap<>();

    /** Failed builds of a dropped key index so far, and the earliest moment to try again. */
    private record Unbuilt(int failures, long retryNanos) {
    }

    public DuckStore() throws SQLException {
        this(0);
    }

    /** {@code memoryLimitBytes}: DuckDB's {@code memory_limit} for the whole database; 0 keeps its default. */
    public DuckStore(long memoryLimitBytes) throws SQLException {
        root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        conn = root.duplicate();
        if (memoryLimitBytes > 0) {
            run("SET memory_limit = '" + memoryLimitBytes + "B'");
        }
    }

    /** A new connection for another thread; it sees committed data only. */
    public DuckDBConnection connect() throws SQLException {
        return root.duplicate();
    }

    /** Memory DuckDB holds now (tables, indexes, buffers): what {@code memory_limit} caps. */
    public long memoryBytes() throws SQLException {
        try (DuckDBConnection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void createTable(TableSchema schema) throws SQLException {
        createTableWithoutKeyIndex(schema);
        buildKeyIndex(schema);
    }

    /**
     * Creates a table to be filled in bulk (from a snapshot) before it gets its key index ({@link #buildKeyIndex}):
     * 10M rows load in ~0.3 s into the bare table and the index builds in ~0.7 s, where the same load into a table
     * with its index takes ~2.2 s (DuckDB alone, measured).
     */
    public void createTableWithoutKeyIndex(TableSchema schema) throws SQLException {
        rewritten(schema);
        run(Sql.createTable(schema));
        unindexed.put(Names.key(schema.name()), new Unbuilt(0, System.nanoTime()));
        createStages(schema);
    }

    /** Builds the key index of a table that has none; fails, saying why, if its rows repeat a key. */
    public void buildKeyIndex(TableSchema schema) throws SQLException {
        run(Sql.createKeyIndex(schema));
        unindexed.remove(Names.key(schema.name()));
    }

    /**
     * Drops the table's key index, between two groups: the writer calls it once a live copy of the table's keys
     * keeps them unique instead. DuckDB checks and grows the index on every append, which costs about as much CPU as
     * storing the row (~1.5 against ~0.7 µs a row in 10k-row appends, {@code DuckCosts}).
     */
    public void dropKeyIndex(TableSchema schema) throws SQLException {
        run(Sql.dropKeyIndex(schema));
        unindexed.put(Names.key(schema.name()), new Unbuilt(0, System.nanoTime()));
    }

    /** Whether the table has its key index: DuckDB then refuses a key that exists, whatever the writer planned. */
    public boolean keyIndexed(TableSchema schema) {
        return !unindexed.containsKey(Names.key(schema.name()));
    }

    /**
     * Builds the table's key index again if it was dropped, outside any transaction, and says whether the table has
     * it. DuckDB's build fails while a reader that began before a key was deleted and inserted again is still open
     * (the build sees both versions of the key); then the table goes without, its writes planned with every key
     * looked up, and the build is tried again at a later write: a second later, then twice as long each time up to
     * a minute, when the failure is logged as a warning.
     */
    public boolean ensureKeyIndex(TableSchema schema) {
        String key = Names.key(schema.name());
        Unbuilt unbuilt = unindexed.get(key);
        if (unbuilt == null) {
            return true;
        }
        if (System.nanoTime() - unbuilt.retryNanos() < 0) {
            return false;
        }
        try {
            buildKeyIndex(schema);
            return true;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Catalog Error")) {
                unindexed.remove(key); // the table is gone (dropped since), and its index with it
                return false;
            }
            int failures = unbuilt.failures() + 1;
            long delay = INDEX_RETRY_NANOS << Math.min(failures - 1, 6);
            LOG.log(failures > 6 ? Level.WARNING : Level.FINE, "table " + schema.name() + " is without its key index"
                    + " (" + failures + " builds failed, writes to it look every key up): " + e.getMessage(), e);
            unindexed.put(key, new Unbuilt(failures, System.nanoTime() + Math.min(delay, MAX_INDEX_RETRY_NANOS)));
            return false;
        }
    }

    /** Creates the writer's staging tables for a table that exists (after a snapshot load, say). */
    public void createStages(TableSchema schema) throws SQLException {
        run(Sql.createRowStage(schema));
        run(Sql.createKeyStage(schema));
        run(Sql.createPatchStage(schema));
    }

    public void dropTable(TableSchema schema) throws SQLException {
        rewritten(schema);
        forgetStatements();
        run("DROP TABLE " + Sql.table(schema));
        run("DROP TABLE IF EXISTS " + Sql.rowStage(schema));
        run("DROP TABLE IF EXISTS " + Sql.keyStage(schema));
        run("DROP TABLE IF EXISTS " + Sql.patchStage(schema));
    }

    /**
     * Begins the group's transaction with an explicit statement. JDBC's {@code setAutoCommit(false)} only begins one
     * at the next statement, and an appender flushed before that commits on its own: its rows would be visible, and
     * would outlive a rollback, before their log record is written.
     */
    public void begin() throws SQLException {
        run("BEGIN TRANSACTION");
    }

    public void commit() throws SQLException {
        run("COMMIT");
    }

    /** Rolls back; the staging tables are written inside the transaction, so they are empty again too. */
    public void rollback() {
        forgetStatements(); // a failed statement is closed by DuckDB
        try {
            run("ROLLBACK");
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB rollback failed", e);
        }
    }

    /** Which of {@code keys} exist in the table, as seen inside the current transaction. */
    public Set<Object> existing(TableSchema schema, Collection<Object> keys) throws SQLException {
        ColumnType type = schema.key().type();
        int size = Sql.keyListSize(keys.size());
        if (size > 0) {
            // A bound key list lets DuckDB skip row groups by their min/max; a join with a staging table scans
            // the whole table.
            PreparedStatement ps = prepared(Sql.existingByKeyList(schema, size));
            bindKeys(ps, 1, keys, size);
            Set<Object> found = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(Values.read(rs, 1, type));
                }
            }
            return found;
        }
        try (DuckDBAppender appender = appender("__keys_", schema)) {
            for (Object key : keys) {
                appender.beginRow();
                Values.append(appender, type, key);
                appender.endRow();
            }
            appender.flush();
        }
        Set<Object> found = new HashSet<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(Sql.existingKeys(schema))) {
            while (rs.next()) {
                found.add(Values.read(rs, 1, type));
            }
        }
        run("DELETE FROM " + Sql.keyStage(schema));
        return found;
    }

    /** Applies one run inside the current transaction. */
    public void apply(TableSchema schema, Run run) throws SQLException {
        if (run.kind() != RowChange.Kind.INSERT) {
            rewritten(schema);
        }
        switch (run.kind()) {
            case INSERT -> appendRows(schema, run.changes());
            case UPSERT -> {
                stageRows(schema, lastPerKey(run.changes()));
                run(Sql.upsertFromStage(schema)); // planned only for tables with their key index (Applier)
                run("DELETE FROM " + Sql.rowStage(schema));
            }
            case REPLACE -> {
                String sql = Sql.replaceFromStage(schema);
                if (sql != null) {
                    Collection<RowChange> rows = lastPerKey(run.changes());
                    stageRows(schema, rows);
                    updateFromStage(schema, sql, rows);
                    run("DELETE FROM " + Sql.rowStage(schema));
                }
            }
            case PATCH -> {
                String sql = Sql.patchFromStage(schema);
                if (sql != null) {
                    Collection<RowChange> patches = foldPatches(run.changes());
                    stagePatches(schema, patches);
                    updateFromStage(schema, sql, patches);
                    run("DELETE FROM " + Sql.patchStage(schema));
                }
            }
            case DELETE -> {
                int size = Sql.keyListSize(run.changes().size());
                if (size > 0) {
                    PreparedStatement ps = prepared(Sql.deleteByKeyList(schema, size));
                    bindKeys(ps, 1, keysOf(run.changes()), size);
                    ps.execute();
                } else {
                    stageKeys(schema, run.changes());
                    run(Sql.deleteByKeyStage(schema));
                    run("DELETE FROM " + Sql.keyStage(schema));
                }
            }
            // insert-or-ignores are planned into inserts (GroupPlanner)
            default -> throw new IllegalStateException("run of " + run.kind() + " reaches the store");
        }
    }

    /**
     * New rows go straight into the table through its appender: the cheapest path DuckDB has, and the one most
     * writes take. Where the writer trusted a key to be new (only in a table with its key index), a key that exists
     * after all makes {@code flush} fail, and the writer plans the group again.
     */
    private void appendRows(TableSchema schema, Collection<RowChange> changes) throws SQLException {
        List<Column> columns = schema.columns();
        try (DuckDBAppender appender = conn.createAppender("main", schema.name())) {
            for (RowChange change : changes) {
                Object[] values = change.values();
                appender.beginRow();
                for (int i = 0; i < values.length; i++) {
                    Values.appendExact(appender, columns.get(i).type(), values[i]);
                }
                appender.endRow();
            }
            // flush before close: close drops rows that violate the key without a word (DUCKDB-NOTES.md)
            appender.flush();
        }
    }

    private void stageRows(TableSchema schema, Collection<RowChange> changes) throws SQLException {
        List<Column> columns = schema.columns();
        try (DuckDBAppender appender = appender("__rows_", schema)) {
            for (RowChange change : changes) {
                Object[] values = change.values();
                appender.beginRow();
                for (int i = 0; i < values.length; i++) {
                    Values.append(appender, columns.get(i).type(), values[i]);
                }
                appender.endRow();
            }
            appender.flush();
        }
    }

    private void stagePatches(TableSchema schema, Collection<RowChange> patches) throws SQLException {
        List<Column> columns = schema.columns();
        try (DuckDBAppender appender = appender("__patch_", schema)) {
            for (RowChange patch : patches) {
                appender.beginRow();
                for (int i = 0; i < columns.size(); i++) {
                    Values.append(appender, columns.get(i).type(), patch.values()[i]);
                }
                for (boolean set : patch.mask()) {
                    appender.append(set);
                }
                appender.endRow();
            }
            appender.flush();
        }
    }

    private void stageKeys(TableSchema schema, Collection<RowChange> changes) throws SQLException {
        ColumnType type = schema.key().type();
        try (DuckDBAppender appender = appender("__keys_", schema)) {
            for (RowChange change : changes) {
                appender.beginRow();
                Values.append(appender, type, change.key());
                appender.endRow();
            }
            appender.flush();
        }
    }

    /**
     * Runs an {@code UPDATE ... FROM} the stage; for a short run the keys are also given as a bound list, which
     * DuckDB pushes into the table scan to skip row groups instead of scanning the whole table for the join.
     */
    private void updateFromStage(TableSchema schema, String sql, Collection<RowChange> changes) throws SQLException {
        int size = Sql.keyListSize(changes.size());
        if (size < 0) {
            run(sql);
            return;
        }
        PreparedStatement ps = prepared(sql + " AND " + Sql.keyIn(schema, "t.", size));
        bindKeys(ps, 1, keysOf(changes), size);
        ps.execute();
    }

    private static List<Object> keysOf(Collection<RowChange> changes) {
        List<Object> keys = new ArrayList<>(changes.size());
        for (RowChange change : changes) {
            keys.add(change.key());
        }
        return keys;
    }

    /** Binds the keys from parameter {@code first} on, repeating the last one up to {@code size}. */
    private static void bindKeys(PreparedStatement ps, int first, Collection<Object> keys, int size)
            throws SQLException {
        int i = 0;
        Object last = null;
        for (Object key : keys) {
            ps.setObject(first + i++, Values.parameter(key));
            last = key;
        }
        for (; i < size; i++) {
            ps.setObject(first + i, Values.parameter(last));
        }
    }

    /**
     * A prepared statement for the writer's connection, kept for reuse. DuckDB closes a statement whose execution
     * fails, and a statement may name a table that is later dropped: both empty the cache.
     */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Whole-row writes to one key within a run: the last one wins, as if applied in order. */
    private static Collection<RowChange> lastPerKey(List<RowChange> changes) {
        Map<Object, RowChange> last = new LinkedHashMap<>();
        for (RowChange change : changes) {
            last.put(change.key(), change);
        }
        return last.size() == changes.size() ? changes : last.values();
    }

    /** Several patches to one key within a run become one: later columns override earlier ones. */
    private static Collection<RowChange> foldPatches(List<RowChange> patches) {
        Map<Object, RowChange> folded = new LinkedHashMap<>();
        for (RowChange patch : patches) {
            folded.merge(patch.key(), patch, (earlier, later) -> {
                Object[] values = earlier.values().clone();
                boolean[] mask = earlier.mask().clone();
                for (int i = 0; i < mask.length; i++) {
                    if (later.mask()[i]) {
                        values[i] = later.values()[i];
                        mask[i] = true;
                    }
                }
                return new RowChange(RowChange.Kind.PATCH, later.table(), later.key(), values, mask);
            });
        }
        return folded.values();
    }

    private DuckDBAppender appender(String prefix, TableSchema schema) throws SQLException {
        return conn.createAppender("temp", "main", prefix + Names.key(schema.name()));
    }

    /** Loads a logged import's Parquet file into its table (replay), inside the current transaction. */
    public void insertFromParquet(TableSchema schema, Path file, boolean replace) throws SQLException {
        rewritten(schema);
        // during recovery every table has its key index, which OR REPLACE needs: no copies are live yet
        run("INSERT " + (replace ? "OR REPLACE " : "") + "INTO " + Sql.table(schema) + " (" + Sql.columnList(schema)
                + ") SELECT " + Sql.columnList(schema) + " FROM read_parquet('"
                + file.toAbsolutePath().toString().replace("'", "''") + "')");
    }

    /**
     * A stage for replayed inserts on the writer's connection; see {@link ReplayStage}. A move of at least
     * {@code deferIndexRows} rows into an empty table leaves its key index until the stretch settles.
     */
    public ReplayStage replayStage(long deferIndexRows) {
        return new ReplayStage(this, conn, deferIndexRows);
    }

    /** The writer's own connection, for work the writer thread does outside the group path (bulk imports). */
    DuckDBConnection writerConnection() {
        return conn;
    }

    /**
     * Runs a statement of an import on the writer's connection. It may touch only the import's temporary tables,
     * which no snapshot writes, so it changes no table's {@link #changeStamp}; the import's rows reach the table
     * through {@link #insertFromStage}.
     */
    void execute(String sql) throws SQLException {
        run(sql);
    }

    /** Moves an import's staged rows into its table ({@code update}: a staged key that exists replaces the row). */
    void insertFromStage(TableSchema schema, boolean update) throws SQLException {
        rewritten(schema);
        if (update && !keyIndexed(schema)) {
            run(Sql.deleteStagedKeys(schema)); // INSERT OR REPLACE needs the key index
            update = false;
        }
        run(Sql.insertFromStage(schema, update));
    }

    /**
     * A number that grows whenever rows of {@code table} that were already stored may have changed: by anything but
     * an append of new rows (updates, deletes, upserts, patches, imports), or by the table being created or dropped.
     * Equal stamps at two moments mean the table only had rows appended in between, so DuckDB's row ids below its end
     * at the first moment still name the same rows (incremental snapshots rely on it). The writer's statements bump
     * it before they run, so a rolled-back change counts too.
     */
    public long changeStamp(TableSchema table) {
        return rewrites.getOrDefault(Names.key(table.name()), 0L);
    }

    private void rewritten(TableSchema table) {
        rewrites.merge(Names.key(table.name()), 1L, Long::sum);
    }

    private void run(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private void forgetStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do with it
            }
        }
        statements.clear();
    }

    @Override
    public void close() throws SQLException {
        forgetStatements();
        conn.close();
        root.close();
    }
}
