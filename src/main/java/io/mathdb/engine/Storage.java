package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.RowMirrors;
import io.mathdb.engine.wal.WalOptions;
import io.mathdb.engine.wal.WalSyncer;
import io.mathdb.engine.wal.WalWriter;
import io.mathdb.engine.write.Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The durable half of a database, once recovery has run: the log being written, its syncer, and the snapshots.
 * Layout of the data directory: {@code LOCK}, {@code wal/}, {@code snapshots/} (STORAGE.md).
 */
final class Storage {
    private final WalWriter wal;
    private final WalSyncer syncer;
    private final Snapshots snapshots;
    private final RecoveryReport recovery;
    private final DatabaseOptions options;

    private Storage(WalWriter wal, WalSyncer syncer, Snapshots snapshots, RecoveryReport recovery,
                    DatabaseOptions options) {
        this.wal = wal;
        this.syncer = syncer;
        this.snapshots = snapshots;
        this.recovery = recovery;
        this.options = options;
    }

    /** Recovers the directory into the (empty) store, then starts the writer on the log. */
    static Storage recover(Path dir, DatabaseOptions options, DuckStore store, Catalog catalog, Writer writer,
                           Consumer<RecoveryState> progress) throws IOException, SQLException {
        Path walDir = Files.createDirectories(dir.resolve("wal"));
        Path snapshotsDir = Files.createDirectories(dir.resolve("snapshots"));
        RecoveryReport report = new Recovery(snapshotsDir, walDir, store, catalog, writer, progress).run();
        WalWriter wal = WalWriter.open(walDir, report.lastLsn() + 1,
                WalOptions.defaults().withSegmentBytes(options.segmentBytes()).withFiles(options.walFiles()));
        WalSyncer syncer = new WalSyncer(wal, options.flushInterval());
        writer.start(new WalLog(wal, syncer));
        Snapshots snapshots = new Snapshots(snapshotsDir, store, catalog, writer, wal, syncer, options);
        return new Storage(wal, syncer, snapshots, report, options);
    }

    long flush() {
        return syncer.flush();
    }

    SnapshotStatus snapshot() {
        return snapshots.take();
    }

    RecoveryReport recovery() {
        return recovery;
    }

    DatabaseStatus status(Writer writer, RowMirrors mirrors) {
        Throwable failure = writer.failure();
        return new DatabaseStatus(writer.appliedLsn(), wal.durableLsn(),
                TimeUnit.NANOSECONDS.toMillis(syncer.lagNanos()), wal.segmentCount(), wal.totalBytes(),
                snapshots.last(), recovery, failure == null ? null : describe(failure), mirrors.rows(),
                mirrors.bytesUsed(), writer.backlogRows());
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause();
        return failure.getMessage() + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }

    /** After the writer has stopped: a last snapshot if asked for, then a final fsync. */
    void close() {
        try {
            if (options.snapshotOnClose()) {
                snapshots.take();
            }
        } finally {
            snapshots.close();
            syncer.close();
            wal.close();
        }
    }
}
