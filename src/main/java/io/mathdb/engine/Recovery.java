package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.snapshot.SkippedSnapshot;
import io.mathdb.engine.snapshot.SnapshotLoader;
import io.mathdb.engine.snapshot.SnapshotSelection;
import io.mathdb.engine.snapshot.SnapshotStore;
import io.mathdb.engine.snapshot.TableCreator;
import io.mathdb.engine.snapshot.VerifiedSnapshot;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.wal.CorruptWalException;
import io.mathdb.engine.wal.ReplayProgress;
import io.mathdb.engine.wal.WalRecord;
import io.mathdb.engine.wal.WalReplay;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.MutationCodec;
import io.mathdb.engine.write.ReplayException;
import io.mathdb.engine.write.Writer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Start-up: load the newest snapshot whose checksums verify, then replay the log after its LSN (STORAGE.md,
 * "Recovery"). The store is empty when it starts; anything it cannot read stops it with the file and offset.
 */
final class Recovery {
    private final Path snapshotsDir;
    private final Path walDir;
    private final DuckStore store;
    private final Catalog catalog;
    private final Writer writer;
    private final Consumer<RecoveryState> progress;

    Recovery(Path snapshotsDir, Path walDir, DuckStore store, Catalog catalog, Writer writer,
             Consumer<RecoveryState> progress) {
        this.snapshotsDir = snapshotsDir;
        this.walDir = walDir;
        this.store = store;
        this.catalog = catalog;
        this.writer = writer;
        this.progress = progress;
    }

    RecoveryReport run() throws IOException, SQLException {
        long started = System.nanoTime();
        progress.accept(new RecoveryState(RecoveryState.Phase.LOADING_SNAPSHOT, 0, 0, null, null));
        SnapshotStore snapshots = new SnapshotStore(snapshotsDir);
        snapshots.cleanTemp();
        SnapshotSelection selection = snapshots.newestValid();
        List<String> skipped = new ArrayList<>();
        for (SkippedSnapshot s : selection.skipped()) {
            skipped.add(s.reason());
        }
        long snapshotLsn = 0;
        if (selection.snapshot().isPresent()) {
            VerifiedSnapshot snapshot = selection.snapshot().get();
            try (Connection c = store.connect()) {
                SnapshotLoader.load(snapshot, c, new TableCreator() {
                    @Override
                    public void create(TableSchema schema) throws SQLException {
                        store.createTableWithoutKeyIndex(schema);
                        catalog.put(schema);
                    }

                    @Override
                    public void loaded(TableSchema schema) throws SQLException {
                        store.buildKeyIndex(schema);
                    }
                });
            }
            snapshotLsn = snapshot.lsn();
            writer.recoveredTo(snapshotLsn);
        }
        ReplayProgress replayProgress = new ReplayProgress();
        progress.accept(new RecoveryState(RecoveryState.Phase.REPLAYING_LOG, 0, 0, null, null));
        WalReplay.Result result;
        long afterLsn = snapshotLsn;
        try (ReplayPipeline pipeline = new ReplayPipeline(Recovery::decode, (mutations, firstLsn) -> {
            writer.replay(mutations, firstLsn);
            // Records count once replay has taken them: applied, or staged for a bulk move of up to a million
            // rows (a move that fails stops recovery). Counting only applied ones would stall the progress shown
            // in health for the whole of such a stretch.
            progress.accept(new RecoveryState(RecoveryState.Phase.REPLAYING_LOG,
                    firstLsn + mutations.size() - 1 - afterLsn, replayProgress.bytesRead(), null, null));
        })) {
            try {
                result = WalReplay.replay(walDir, snapshotLsn, pipeline, replayProgress);
            } catch (IOException | RuntimeException e) {
                pipeline.drain(); // a record before the one that stopped the reading, which did not apply, wins
                pipeline.finish(() -> writer.replayStopped(e)); // so does a key repeated in rows moved unindexed
                throw e;
            }
            pipeline.finish(writer::finishReplay);
        } catch (CorruptWalException e) {
            if (skipped.isEmpty()) {
                throw e;
            }
            // The log cannot cover the state a skipped snapshot held: say why each snapshot could not be used.
            throw new MathDbException(ErrorCode.CORRUPT_DATA, e.getMessage() + "; no usable snapshot covers it: "
                    + String.join("; ", skipped), e);
        }
        return new RecoveryReport(snapshotLsn, result.recordsReplayed(), result.bytesTruncated(),
                result.tornFile() == null ? null : result.tornFile().toString(), result.tornOffset(),
                Math.max(snapshotLsn, result.lastLsn()), Duration.ofNanos(System.nanoTime() - started), skipped);
    }

    /** Decodes on the thread reading the log; see {@link ReplayPipeline}. */
    private static List<Mutation> decode(List<WalRecord> batch) {
        List<Mutation> mutations = new ArrayList<>(batch.size());
        for (WalRecord record : batch) {
            try {
                mutations.add(MutationCodec.decode(record.type(), record.payload()));
            } catch (IllegalArgumentException e) {
                throw new ReplayException(record.lsn(), e);
            }
        }
        return mutations;
    }
}
