package io.mathdb.engine.store;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Holds the rows of replayed plain inserts on their way into their tables. Appending into a table with its key index
 * checks the index row by row; appending into a staging table without one and moving many rows at a time with one
 * {@code INSERT ... SELECT} costs a fraction of that per row (DUCKDB-NOTES.md). Each staged row carries the LSN of its
 * record, so a move the table refuses can name the record that caused it.
 *
 * <p>A table's stage is created at its first row and dropped when its rows have moved, so a table dropped or created
 * again later never meets a stage of an older shape. Not thread-safe: only the replaying thread calls it.
 *
 * <p>A stretch that fills an empty table (a table created in the log, then loaded row by row) moves into it without
 * its key index, which is built once the stretch ends ({@link #settle}): growing the index row by row cost three
 * times what building it once does (5M rows: ~1.7 s against ~0.6 s, DuckDB alone). Meanwhile a side table keeps each
 * moved row's key with its LSN, so that a key the build finds repeated still names the record that repeated it.
 */
public final class ReplayStage {
    /** The staged row's record; {@code $} cannot appear in a column name (see {@link Names}), so it never collides. */
    private static final String LSN = Names.quote("lsn$");

    /** A staged row the table refused, and the first record whose rows the table does not take. */
    public static final class Rejected extends Exception {
        private final long lsn;

        Rejected(long lsn, SQLException cause) {
            super(cause.getMessage(), cause);
            this.lsn = lsn;
        }

        public long lsn() {
            return lsn;
        }
    }

    /** A table with staged rows: its stage's appender and how many rows it holds. */
    private static final class Pending {
        final TableSchema schema;
        final DuckDBAppender appender;
        long rows;

        Pending(TableSchema schema, DuckDBAppender appender) {
            this.schema = schema;
            this.appender = appender;
        }
    }

    /** Staged rows for an empty table worth moving without its key index (and building it once at the end). */
    public static final long DEFER_INDEX_ROWS = 1 << 16;

    private final DuckStore store;
    private final DuckDBConnection conn;
    private final long deferIndexRows;
    /** Tables moved into without their key index since the last {@link #settle}; no DDL comes in between. */
    private final Set<TableSchema> unindexed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Tables with staged rows; a stretch holds no DDL, so one schema instance stands for one table throughout. */
    private final Map<TableSchema, Pending> pending = new IdentityHashMap<>();
    /** The table of the last row staged: most stretches fill one table, and this spares a lookup a row. */
    private Pending last;
    private long rows;
    /** Whether the transaction the rows are staged in is open. */
    private boolean staging;

    ReplayStage(DuckStore store, DuckDBConnection conn, long deferIndexRows) {
        this.store = store;
        this.conn = conn;
        this.deferIndexRows = deferIndexRows;
    }

    /** Stages one row of {@code schema}'s table, logged at {@code lsn}; LSNs arrive in ascending order. */
    public void add(TableSchema schema, long lsn, Object[] values) throws SQLException {
        Pending p = last != null && last.schema == schema ? last : pending.get(schema);
        if (p == null) {
            if (!staging) {
                // Outside a transaction every full chunk the appender flushes would commit on its own.
                execute("BEGIN TRANSACTION");
                staging = true;
            }
            execute(createStage(schema));
            p = new Pending(schema, conn.createAppender("temp", "main", stageName(schema)));
            pending.put(schema, p);
        }
        last = p;
        List<Column> columns = schema.columns();
        DuckDBAppender appender = p.appender;
        appender.beginRow();
        for (int i = 0; i < values.length; i++) {
            Values.appendExact(appender, columns.get(i).type(), values[i]);
        }
        appender.append(lsn);
        appender.endRow();
        p.rows++;
        rows++;
    }

    /** Rows staged and not yet moved. */
    public long rows() {
        return rows;
    }

    /**
     * Moves every staged row into its table in one transaction and empties the stage.
     *
     * @throws Rejected if a table refuses the rows (a key that exists or repeats, a null in a non-null column); nothing
     *                  moved then, and the exception names the first LSN whose rows do not apply after those before it
     */
    public void moveAll() throws Rejected, SQLException {
        if (pending.isEmpty()) {
            return;
        }
        for (Pending p : pending.values()) {
            p.appender.flush();
            p.appender.close();
        }
        // The staged rows commit first, so that a refused move, rolled back, leaves them to search for the culprit.
        staging = false;
        execute("COMMIT");
        try {
            for (Pending p : pending.values()) {
                if (p.rows >= deferIndexRows && !unindexed.contains(p.schema) && store.keyIndexed(p.schema)
                        && empty(p.schema)) {
                    store.dropKeyIndex(p.schema);
                    unindexed.add(p.schema);
                    execute("CREATE OR REPLACE TEMP TABLE " + keys(p.schema) + " (k " + p.schema.key().type()
                            .duckType() + ", " + LSN + " BIGINT)");
                }
            }
            execute("BEGIN TRANSACTION");
            try {
                for (Pending p : pending.values()) {
                    execute(move(p.schema, Long.MAX_VALUE));
                    if (unindexed.contains(p.schema)) {
                        execute("INSERT INTO " + keys(p.schema) + " SELECT " + Names.quote(p.schema.key().name())
                                + ", " + LSN + " FROM " + stage(p.schema));
                    }
                }
                execute("COMMIT");
            } catch (SQLException e) {
                rollback();
                settle(); // a key repeated in an earlier move is an earlier record; the probes need the index
                throw firstRejected(e);
            }
        } finally {
            dropStages();
        }
    }

    /**
     * Builds the key index of every table moved into without it. Call before anything but a move reads or changes
     * the tables, and when replay ends.
     *
     * @throws Rejected if a table's rows repeat a key: it names the record that repeated it
     */
    public void settle() throws Rejected, SQLException {
        Rejected first = null;
        SQLException other = null;
        try {
            for (TableSchema schema : unindexed) {
                try {
                    store.buildKeyIndex(schema);
                } catch (SQLException e) {
                    Rejected repeated = repeated(schema);
                    if (repeated == null) {
                        other = other == null ? e : other;
                    } else if (first == null || repeated.lsn() < first.lsn()) {
                        first = repeated;
                    }
                }
            }
        } finally {
            for (TableSchema schema : unindexed) {
                execute("DROP TABLE IF EXISTS " + keys(schema));
            }
            unindexed.clear();
        }
        if (first != null) {
            throw first;
        }
        if (other != null) {
            throw other;
        }
    }

    /** Whether every table moved into has its key index: nothing waits for {@link #settle}. */
    public boolean settled() {
        return unindexed.isEmpty();
    }

    /**
     * The first record whose key the table already held, from the side table of moved keys; null if none repeats
     * (the build failed for another reason). Every row of the table came through it: the table was empty.
     */
    private Rejected repeated(TableSchema schema) throws SQLException {
        try (Statement st = conn.createStatement();
             var rs = st.executeQuery("SELECT " + LSN + ", k::VARCHAR FROM (SELECT k, " + LSN + ", row_number() "
                     + "OVER (PARTITION BY k ORDER BY " + LSN + ") AS n FROM " + keys(schema) + ") WHERE n = 2 ORDER BY "
                     + LSN + " LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            long lsn = rs.getLong(1);
            return new Rejected(lsn, new SQLException("Constraint Error: key " + rs.getString(2) + " of table "
                    + schema.name() + " is inserted again"));
        }
    }

    private boolean empty(TableSchema schema) throws SQLException {
        try (Statement st = conn.createStatement();
             var rs = st.executeQuery("SELECT 1 FROM " + Sql.table(schema) + " LIMIT 1")) {
            return !rs.next();
        }
    }

    /** Drops whatever is staged; for a replay that stops before its rows moved. */
    public void discard() {
        try {
            for (Pending p : pending.values()) {
                p.appender.close();
            }
            if (staging) {
                staging = false;
                execute("ROLLBACK"); // the stages were created in the transaction the rows are staged in
            }
            pending.clear();
            last = null;
            rows = 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the replay stage", e);
        }
    }

    /**
     * Finds the first record the tables refuse. A failing prefix of a stretch of inserts stays failing as it grows
     * (a key that exists or repeats, or a bad value, is still there), so a binary search over the LSNs finds the
     * shortest one that fails: its last record is the culprit. Each probe runs in a transaction that is rolled back.
     */
    private Rejected firstRejected(SQLException whole) throws SQLException {
        long culprit = Long.MAX_VALUE;
        SQLException cause = whole;
        for (Pending p : pending.values()) {
            long[] range = lsnRange(p.schema);
            long lo = range[0];
            long hi = range[1];
            if (!refuses(p.schema, hi)) {
                continue;
            }
            SQLException reason = null;
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                SQLException e = refusal(p.schema, mid);
                if (e != null) {
                    hi = mid;
                    reason = e;
                } else {
                    lo = mid + 1;
                }
            }
            if (reason == null) {
                reason = refusal(p.schema, lo);
            }
            if (lo < culprit) {
                culprit = lo;
                cause = reason;
            }
        }
        if (culprit == Long.MAX_VALUE) {
            // Every table takes its rows alone but not all together: no record to blame beyond the first.
            long first = Long.MAX_VALUE;
            for (Pending p : pending.values()) {
                first = Math.min(first, lsnRange(p.schema)[0]);
            }
            culprit = first;
        }
        return new Rejected(culprit, cause);
    }

    private boolean refuses(TableSchema schema, long upTo) throws SQLException {
        return refusal(schema, upTo) != null;
    }

    /** Why the table refuses its staged rows with LSN {@code <= upTo}, or null if it takes them; changes nothing. */
    private SQLException refusal(TableSchema schema, long upTo) throws SQLException {
        execute("BEGIN TRANSACTION");
        try {
            execute(move(schema, upTo));
            return null;
        } catch (SQLException e) {
            return e;
        } finally {
            rollback();
        }
    }

    /** Ends the transaction a refused statement left open; a refused COMMIT has ended it already. */
    private void rollback() throws SQLException {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                throw e;
            }
        }
    }

    private long[] lsnRange(TableSchema schema) throws SQLException {
        try (Statement st = conn.createStatement();
             var rs = st.executeQuery("SELECT min(" + LSN + "), max(" + LSN + ") FROM " + stage(schema))) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private void dropStages() throws SQLException {
        List<Pending> staged = new ArrayList<>(pending.values());
        pending.clear();
        last = null;
        rows = 0;
        for (Pending p : staged) {
            execute("DROP TABLE IF EXISTS " + stage(p.schema));
        }
    }

    private static String move(TableSchema schema, long upTo) {
        String columns = Sql.columnList(schema);
        return "INSERT INTO " + Sql.table(schema) + " (" + columns + ") SELECT " + columns + " FROM " + stage(schema)
                + (upTo == Long.MAX_VALUE ? "" : " WHERE " + LSN + " <= " + upTo);
    }

    /** The stage has the table's exact column types, so the appender takes what it takes for the table itself. */
    private static String createStage(TableSchema schema) {
        StringJoiner cols = new StringJoiner(", ", "CREATE OR REPLACE TEMP TABLE " + Names.quote(stageName(schema))
                + " (", ", " + LSN + " BIGINT)");
        for (Column c : schema.columns()) {
            cols.add(Names.quote(c.name()) + " " + c.type().duckType());
        }
        return cols.toString();
    }

    /** {@code $} cannot appear in a table name (see {@link Names}): no table's stage can take this name. */
    private static String keys(TableSchema schema) {
        return "temp.main." + Names.quote("__replay$keys_" + Names.key(schema.name()));
    }

    private static String stageName(TableSchema schema) {
        return "__replay_" + Names.key(schema.name());
    }

    private static String stage(TableSchema schema) {
        return "temp.main." + Names.quote(stageName(schema));
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
