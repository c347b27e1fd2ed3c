package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.snapshot.SnapshotInfo;
import io.mathdb.engine.snapshot.SnapshotStore;
import io.mathdb.engine.snapshot.SnapshotWriter;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.wal.WalSyncer;
import io.mathdb.engine.wal.WalWriter;
import io.mathdb.engine.write.Writer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBConnection;

/**
 * Takes snapshots without stopping the writer, keeps the newest few, and lets the log go below the oldest kept.
 * Between two write groups the writer pins a read transaction on a connection of its own and notes the LSN; the
 * Parquet files are then written from that transaction while writes go on. Triggers: a timer, an amount of new log,
 * and explicit calls.
 */
final class Snapshots implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Snapshots.class.getName());

    /** A snapshot's LSN and tables, and each table's {@link DuckStore#changeStamp} then, by table key. */
    private record Pinned(long lsn, List<TableSchema> tables, Map<String, Long> stamps) {
    }

    private final SnapshotStore store;
    private final Path dir;
    private final DuckStore duck;
    private final Catalog catalog;
    private final Writer writer;
    private final WalWriter wal;
    private final WalSyncer syncer;
    private final DatabaseOptions options;
    private final ScheduledExecutorService timer;
    private volatile SnapshotStatus last;
    private volatile long walBytesAtLast;
    private volatile long lastTakenNanos = System.nanoTime();
    /** Guarded by this: writes tables incrementally that only had rows appended since its last snapshot. */
    private final SnapshotWriter snapshotWriter = new SnapshotWriter();
    private Map<String, Long> stampsAtLast = Map.of();

    Snapshots(Path dir, DuckStore duck, Catalog catalog, Writer writer, WalWriter wal, WalSyncer syncer,
              DatabaseOptions options) {
        this.dir = dir;
        this.store = new SnapshotStore(dir);
        this.duck = duck;
        this.catalog = catalog;
        this.writer = writer;
        this.wal = wal;
        this.syncer = syncer;
        this.options = options;
        this.last = store.list().stream().findFirst()
                .map(s -> new SnapshotStatus(s.lsn(), s.created(), s.totalBytes())).orElse(null);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mathdb-snapshots");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::maybeTake, 1, 1, TimeUnit.SECONDS);
    }

    SnapshotStatus last() {
        return last;
    }

    /** Takes a snapshot now, consistent at the LSN the writer has reached, unless nothing changed since the last. */
    synchronized SnapshotStatus take() {
        try (DuckDBConnection c = duck.connect()) {
            Pinned pinned = writer.pinnedAtNextBatch(lsn -> pin(c, lsn)).get();
            if (last != null && last.lsn() == pinned.lsn()) {
                return last;
            }
            // The log must be durable up to the snapshot's LSN: a snapshot ahead of the log after a power loss
            // would leave the next records' LSNs reused.
            syncer.flush();
            Set<String> appendOnly = new HashSet<>();
            // An incremental snapshot shares its older files with the last one: only once retention keeps as many
            // copies sharing no file as asked may the newest share (the WAL since the oldest copy stays meanwhile).
            if (store.copies() >= options.snapshotRetain()) {
                pinned.stamps().forEach((table, stamp) -> {
                    if (stamp.equals(stampsAtLast.get(table))) {
                        appendOnly.add(table);
                    }
                });
            }
            SnapshotInfo info = snapshotWriter.write(dir, c, pinned.lsn(), pinned.tables(), appendOnly);
            stampsAtLast = pinned.stamps();
            store.written(info);
            c.rollback();
            long walBytes = wal.stats().bytesAppended();
            last = new SnapshotStatus(info.lsn(), info.created(), info.totalBytes());
            walBytesAtLast = walBytes;
            lastTakenNanos = System.nanoTime();
            OptionalLong oldestKept = store.retain(options.snapshotRetain());
            if (oldestKept.isPresent()) {
                wal.deleteSegmentsBelow(oldestKept.getAsLong() + 1);
            }
            return last;
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(e);
        } catch (SQLException | IOException e) {
            throw failed(e);
        }
    }

    /** Fixes the transaction's view now, while DuckDB holds exactly the log up to {@code lsn} (Writer#pinned). */
    private Pinned pin(DuckDBConnection c, long lsn) {
        try {
            SnapshotWriter.beginReadTransaction(c);
            List<TableSchema> tables = catalog.all();
            Map<String, Long> stamps = new HashMap<>();
            for (TableSchema t : tables) {
                stamps.put(Names.key(t.name()), duck.changeStamp(t));
            }
            return new Pinned(lsn, tables, stamps);
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot pin a snapshot: " + e.getMessage(), e);
        }
    }

    private void maybeTake() {
        try {
            boolean byTime = !options.snapshotInterval().isZero()
                    && System.nanoTime() - lastTakenNanos >= options.snapshotInterval().toNanos();
            boolean byBytes = options.snapshotWalBytes() > 0
                    && wal.stats().bytesAppended() - walBytesAtLast >= options.snapshotWalBytes();
            if ((byTime || byBytes) && writer.failure() == null
                    && (last == null || writer.appliedLsn() > last.lsn())) {
                take();
            }
        } catch (RuntimeException e) {
            // a failed snapshot leaves the previous one and all of the log in place; the next trigger tries again
            LOG.log(Level.WARNING, "MathDB snapshot failed", e);
            lastTakenNanos = System.nanoTime();
        }
    }

    private static MathDbException failed(Throwable e) {
        if (e instanceof MathDbException m) {
            return m;
        }
        return new MathDbException(ErrorCode.INTERNAL, "snapshot failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
