package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.CommitWatcher;
import io.mathdb.engine.write.Run;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBConnection;

/**
 * Copies in the JVM of the tables that are read by key, so that a read by key is a hash lookup instead of a DuckDB
 * query: through JDBC even an index lookup costs ~400 µs of CPU ({@link KeyLookups}), a map lookup well under one.
 * The copies cost heap (~150 bytes a row measured for an Int64, short Utf8, Int32 table), so only tables read by key
 * are copied, within a budget of estimated bytes; a table that does not fit is read from DuckDB as before.
 *
 * <p>A table's first read by key starts its copy on a thread of its own: a read transaction pinned between two write
 * groups scans the table while the writer keeps the runs it commits meanwhile, then the writer replays those onto
 * the scan and the copy goes live. From then on the writer changes it with every commit ({@link CommitWatcher}).
 * Reads never see the copy and DuckDB disagree: the writer makes a sequence number odd before each commit and even
 * once the copies have it, and a read that overlapped an odd number asks DuckDB instead. A bulk import drops its
 * table's copy, and a commit that failed every copy; the next read by key starts a new one. A copy that outgrows the
 * budget is given up for good (until the table is dropped, or the process restarts).
 *
 * <p>While a copy is live, DuckDB's index on the table's key is dropped: the writer plans every write to the table
 * from the copy, and the index would only slow DuckDB's appends. Giving the copy up builds the index again.
 */
public final class RowMirrors implements CommitWatcher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RowMirrors.class.getName());

    private static final int RETRIES = 200;
    private static final int RESTORE_TRIES = 10;

    /** What {@link #lookup} answers when the copy cannot: ask DuckDB. */
    public static final Object[] ASK_STORE = new Object[0];

    /** Runs tasks on the writer thread between two write groups, and waits for them. */
    public interface WriterGate {
        /**
         * Begins {@code c}'s read transaction on the table of {@code schema} and runs {@code atPin}, at the same
         * moment; fails if {@code schema} is no longer the table's (dropped, or dropped and created again).
         */
        void pin(DuckDBConnection c, TableSchema schema, Runnable atPin);

        void between(Runnable task);
    }

    private final DuckStore store;
    private final WriterGate gate;
    private final long budget;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, RowMirror> mirrors = new ConcurrentHashMap<>();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mathdb-mirror");
        t.setDaemon(true);
        return t;
    });
    /** Odd while a commit is under way; written by the writer thread only. */
    private volatile long sequence;
    private volatile boolean closing;

    /** {@code budgetBytes}: estimated heap all copies may take together; 0 keeps none. */
    public RowMirrors(DuckStore store, WriterGate gate, long budgetBytes) {
        this.store = store;
        this.gate = gate;
        this.budget = budgetBytes;
    }

    /**
     * The row stored under {@code key} (coerced to the key type), null if there is none, or {@link #ASK_STORE} when
     * the table has no live copy or a commit overlapped the lookup.
     */
    public Object[] lookup(TableSchema schema, Object key) {
        if (budget <= 0) {
            return ASK_STORE;
        }
        RowMirror mirror = mirrors.get(Names.key(schema.name()));
        if (mirror == null) {
            startCopy(schema);
            return ASK_STORE;
        }
        if (mirror.schema != schema) {
            // copied from a table of the same name since dropped, or being replaced: start again
            if (mirror.discarding.compareAndSet(false, true)) {
                execute(() -> gate.between(() -> discard(mirror)));
            }
            return ASK_STORE;
        }
        if (mirror.keysOnly) {
            // a table so far only written is now read by key: a copy of its rows replaces its keys
            if (mirror.discarding.compareAndSet(false, true)) {
                execute(() -> upgrade(mirror));
            }
            return ASK_STORE;
        }
        // A group that only the copies and the log take (see the writer's backlog) keeps the sequence odd for
        // microseconds: a read that meets one tries again rather than ask DuckDB, which would first have to catch up.
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            long before = sequence;
            if (mirror.state != RowMirror.State.LIVE) {
                return ASK_STORE;
            }
            if ((before & 1) == 0) {
                Object[] row = mirror.rows.get(key);
                VarHandle.acquireFence();
                if (sequence == before) {
                    return row;
                }
            }
            Thread.onSpinWait();
        }
        return ASK_STORE;
    }

    /** Estimated heap bytes the live copies take. */
    public long bytesUsed() {
        return used.get();
    }

    /** Rows held by live copies. */
    public long rows() {
        long rows = 0;
        for (RowMirror m : mirrors.values()) {
            if (m.state == RowMirror.State.LIVE && !m.keysOnly) {
                rows += m.rows.size();
            }
        }
        return rows;
    }

    // ---- building a copy ----

    private void startCopy(TableSchema schema) {
        RowMirror mirror = new RowMirror(schema, false);
        if (mirrors.putIfAbsent(Names.key(schema.name()), mirror) == null) {
            execute(() -> build(mirror));
        }
    }

    /**
     * A write to {@code schema}'s table is about to be queued: a table that has no copy yet gets one of its keys, so
     * that the writer can plan its writes without asking DuckDB and leave DuckDB to its backlog.
     */
    public void written(TableSchema schema) {
        if (budget <= 0 || mirrors.containsKey(Names.key(schema.name())) || used.get() > budget / 2) {
            return; // copies of keys leave at least half the budget to copies of rows
        }
        RowMirror mirror = new RowMirror(schema, true);
        if (mirrors.putIfAbsent(Names.key(schema.name()), mirror) == null) {
            execute(() -> build(mirror));
        }
    }

    private void upgrade(RowMirror keys) {
        RowMirror full = new RowMirror(keys.schema, false);
        try {
            boolean[] replaced = {false};
            gate.between(() -> {
                if (mirrors.replace(Names.key(keys.schema.name()), keys, full)) {
                    full.tookIndex = keys.tookIndex; // the copy of rows is the next to keep keys unique
                    keys.tookIndex = false;
                    refuse(keys);
                    replaced[0] = true;
                }
            });
            if (replaced[0]) {
                build(full);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no copy of table " + keys.schema.name() + " for reads by key", e);
        }
    }

    private void execute(Runnable task) {
        try {
            builder.execute(task);
        } catch (RejectedExecutionException closed) {
            // the database is closing: the read goes to DuckDB, which answers that
        }
    }

    private void build(RowMirror mirror) {
        String name = Names.key(mirror.schema.name());
        if (mirrors.get(name) != mirror) {
            return; // replaced before its turn (a read by key upgraded a copy of keys)
        }
        try (DuckDBConnection c = store.connect()) {
            gate.pin(c, mirror.schema, () -> {
                if (mirror.state == RowMirror.State.PENDING) {
                    mirror.state = RowMirror.State.JOURNALING;
                }
            });
            Scan scan = mirror.keysOnly ? scanKeys(c, mirror.schema) : scan(c, mirror.schema);
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT");
            }
            gate.between(() -> {
                if (mirrors.get(name) != mirror || mirror.state != RowMirror.State.JOURNALING || closing) {
                    return; // dropped or forgotten meanwhile, or too late to matter
                }
                if (scan == null || used.addAndGet(scan.bytes()) > budget) {
                    used.addAndGet(scan == null ? 0 : -scan.bytes());
                    refuse(mirror);
                    return;
                }
                mirror.reserved = scan.bytes();
                boolean live = mirror.keysOnly ? mirror.goLiveKeys(scan.keys())
                        : mirror.goLive(scan.rows(), scan.bytes());
                if (!live || !fits(mirror)) {
                    refuse(mirror);
                } else {
                    dropKeyIndex(mirror);
                }
            });
        } catch (SQLException | RuntimeException e) {
            // a table dropped meanwhile, or a closing database, is no news; anything else leaves the table without
            // its copy until its next read by key (or, for a copy of keys, its next write), so say why
            boolean expected = closing || e instanceof MathDbException m && m.code() == ErrorCode.NO_SUCH_TABLE;
            LOG.log(expected ? Level.FINE : Level.WARNING, "no copy of table " + name + " for reads by key", e);
            gate.between(() -> discard(mirror)); // the next read by key tries again
        }
    }

    private record Scan(ConcurrentHashMap<Object, Object[]> rows, KeySet keys, long bytes) {
    }

    /** The table's keys, or null if they outgrow what copies of keys may take of the budget (half of it). */
    private Scan scanKeys(DuckDBConnection c, TableSchema schema) throws SQLException {
        KeySet keys = KeySet.of(schema);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + Names.quote(schema.key().name()) + " FROM "
                     + Sql.table(schema))) {
            for (long n = 1, check = 65536; rs.next(); n++) {
                keys.addScanned(rs);
                if (n == check) { // sizing may walk the keys: at doubling counts, so the scan stays linear
                    check *= 2;
                    if (Thread.currentThread().isInterrupted() || used.get() + keys.bytes() > budget / 2) {
                        return null;
                    }
                }
            }
        }
        long bytes = keys.bytes();
        return used.get() + bytes > budget / 2 ? null : new Scan(null, keys, bytes);
    }

    /**
     * The table's rows with their estimated size, or null as soon as they outgrow what is left of the budget, or
     * are bound to: the first thousand rows' average size times the table's row count decides early, so a table far
     * too large is not read whole for nothing.
     */
    private Scan scan(DuckDBConnection c, TableSchema schema) throws SQLException {
        int width = schema.columns().size();
        int keyIndex = schema.keyIndex();
        long count;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.table(schema))) {
            rs.next();
            count = rs.getLong(1);
        }
        ConcurrentHashMap<Object, Object[]> rows = new ConcurrentHashMap<>();
        long bytes = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + Sql.columnList(schema) + " FROM " + Sql.table(schema))) {
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = Values.read(rs, i + 1, schema.columns().get(i).type());
                }
                rows.put(row[keyIndex], row);
                bytes += RowMirror.estimateBytes(row);
                if ((rows.size() & 1023) == 0 && (Thread.currentThread().isInterrupted()
                        || used.get() + Math.max(bytes, bytes / rows.size() * count) > budget)) {
                    return null;
                }
            }
        }
        return used.get() + bytes > budget ? null : new Scan(rows, null, bytes);
    }

    /**
     * A live copy answers which keys exist, so the writer plans every write to the table from it and DuckDB's key
     * index only costs appends their time: it is dropped until the copy is given up (see {@link
     * DuckStore#dropKeyIndex}). Writer thread, between two groups.
     */
    private void dropKeyIndex(RowMirror mirror) {
        try {
            store.dropKeyIndex(mirror.schema);
            mirror.tookIndex = true;
        } catch (SQLException e) {
            LOG.log(Level.FINE, "table " + mirror.schema.name() + " keeps its key index", e);
        }
    }

    /**
     * Builds the key index of a table whose copy was given up, between two groups: reads by key and writes go to
     * DuckDB again, and without the index each would scan the table. A write that comes first builds it itself.
     */
    private void restoreKeyIndex(TableSchema schema) {
        restoreKeyIndex(schema, 1);
    }

    /**
     * One try of {@link #restoreKeyIndex}; a build that fails (an old reader, see {@link DuckStore#ensureKeyIndex})
     * is tried again later, a second at first and twice as long each time, {@link #RESTORE_TRIES} times at most:
     * a table that is only read would otherwise be scanned for every read until its next write.
     */
    private void restoreKeyIndex(TableSchema schema, int attempt) {
        execute(() -> {
            boolean[] again = {false};
            try {
                gate.between(() -> {
                    again[0] = !closing && !holds(schema.name()) && !store.ensureKeyIndex(schema);
                });
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "key index of table " + schema.name() + " left to the next write", e);
            }
            if (again[0] && attempt < RESTORE_TRIES) {
                CompletableFuture.delayedExecutor(1L << Math.min(attempt - 1, 6), TimeUnit.SECONDS)
                        .execute(() -> restoreKeyIndex(schema, attempt + 1));
            }
        });
    }

    /** Takes more of the budget if the copy has grown past its share; false if the budget has no more. */
    private boolean fits(RowMirror mirror) {
        long needed = mirror.bytes;
        if (needed <= mirror.reserved) {
            return true;
        }
        long more = needed - mirror.reserved + needed / 8; // room to grow before the next reservation
        if (used.addAndGet(more) > budget) {
            used.addAndGet(-more);
            return false;
        }
        mirror.reserved += more;
        return true;
    }

    /** Forgets the copy, so that the next read by key starts a new one. Writer thread. */
    private void discard(RowMirror mirror) {
        if (mirrors.remove(Names.key(mirror.schema.name()), mirror)) {
            refuse(mirror);
        }
    }

    /** Gives the copy up for good: the table stays on DuckDB's path. Writer thread. */
    private void refuse(RowMirror mirror) {
        boolean outsideCommit = (sequence & 1) == 0;
        beforeCommit(); // a read that saw the copy live must not take its emptied rows for the table's
        mirror.state = RowMirror.State.REFUSED;
        mirror.rows = Map.of();
        mirror.keys = mirror.keysOnly ? KeySet.of(mirror.schema) : null;
        mirror.journal.clear();
        used.addAndGet(-mirror.reserved);
        mirror.reserved = 0;
        if (mirror.tookIndex) {
            mirror.tookIndex = false;
            restoreKeyIndex(mirror.schema);
        }
        if (outsideCommit) {
            endCommit();
        }
    }

    // ---- the writer's side ----

    @Override
    public void beforeCommit() {
        if ((sequence & 1) == 0) {
            sequence++;
        }
    }

    @Override
    public void committed(List<Run> runs) {
        try {
            for (Run run : runs) {
                RowMirror mirror = mirrors.get(Names.key(run.table()));
                if (mirror == null) {
                    continue;
                }
                if (mirror.state == RowMirror.State.JOURNALING) {
                    mirror.journal.add(run);
                } else if (mirror.state == RowMirror.State.LIVE && !(mirror.apply(run) && fits(mirror))) {
                    refuse(mirror);
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            // The write is committed and stands; only the copies are in doubt, and they are expendable.
            LOG.log(Level.WARNING, "dropping the copies of tables read by key", e);
            dropAll();
        } finally {
            endCommit();
        }
    }

    @Override
    public void forget(String table) {
        beforeCommit();
        if (table == null) {
            dropAll();
        } else {
            RowMirror mirror = mirrors.remove(Names.key(table));
            if (mirror != null) {
                refuse(mirror);
            }
        }
        endCommit();
    }

    private void dropAll() {
        mirrors.values().forEach(this::refuse);
        mirrors.clear();
    }

    @Override
    public boolean holds(String table) {
        RowMirror mirror = mirrors.get(Names.key(table));
        return mirror != null && mirror.state == RowMirror.State.LIVE;
    }

    @Override
    public Set<Object> existing(String table, Collection<Object> keys) {
        RowMirror mirror = mirrors.get(Names.key(table));
        Set<Object> found = new HashSet<>();
        for (Object key : keys) {
            if (mirror.holds(key)) {
                found.add(key);
            }
        }
        return found;
    }

    private void endCommit() {
        if ((sequence & 1) != 0) {
            sequence++;
        }
    }

    /**
     * The database is closing: no copy goes live (dropping a key index) and none gives its index back from now on. A
     * writer that has stopped runs what was meant for "between two groups" on the thread that asks, which may then
     * use DuckDB beside the thread that closes the database.
     */
    public void closing() {
        closing = true;
    }

    @Override
    public void close() {
        builder.shutdownNow();
        try {
            builder.awaitTermination(10, TimeUnit.SECONDS); // a scan stops at its next row, or its query fails
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
