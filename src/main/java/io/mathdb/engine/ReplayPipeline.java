package io.mathdb.engine;

import io.mathdb.engine.wal.WalRecord;
import io.mathdb.engine.wal.WalRecordSink;
import io.mathdb.engine.write.Mutation;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Replays the log on two threads: the thread reading the log decodes a batch while the batch before it is applied on
 * a thread of its own. Reading and decoding are about a third of a replay's time, all Java, and applying is mostly
 * DuckDB, so the two overlap instead of taking turns. At most one batch is being applied and one waits decoded, so
 * the heap holds two batches at a time.
 *
 * <p>Batches are applied in order, one at a time, always on the same thread. A batch that fails to apply fails the
 * next {@link #accept} or the {@link #drain}, so the replay stops at the first record that does not apply, as it did
 * on one thread. Whoever ends the replay early for another reason (a corrupt record further on) must
 * {@link #drain} first: a batch before it that did not apply is the earlier error and the one to report.
 */
final class ReplayPipeline implements WalRecordSink, AutoCloseable {
    /** Applies decoded mutations whose first record has the given LSN. */
    interface Apply {
        void apply(List<Mutation> mutations, long firstLsn);
    }

    private final Function<List<WalRecord>, List<Mutation>> decode;
    private final Apply apply;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "mathdb-replay-apply");
        t.setDaemon(true);
        return t;
    });
    /** The batch being applied, or null. */
    private Future<?> inFlight;

    ReplayPipeline(Function<List<WalRecord>, List<Mutation>> decode, Apply apply) {
        this.decode = decode;
        this.apply = apply;
    }

    @Override
    public void accept(List<WalRecord> batch) {
        List<Mutation> mutations = decode.apply(batch);
        long firstLsn = batch.get(0).lsn();
        drain();
        inFlight = applier.submit(() -> apply.apply(mutations, firstLsn));
    }

    /**
     * Runs {@code step} after every batch, on the thread that applied them, and waits for it: what replay holds open
     * (DuckDB appenders are confined to the thread that made them) must be finished there.
     */
    void finish(Runnable step) {
        drain();
        await(applier.submit(step));
    }

    /** Waits until every batch handed over is applied; throws the failure of one that did not apply. */
    @Override
    public void drain() {
        Future<?> pending = inFlight;
        inFlight = null;
        if (pending != null) {
            await(pending);
        }
    }

    private static void await(Future<?> pending) {
        try {
            pending.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MathDbException(ErrorCode.CLOSED, "recovery was interrupted", e);
        }
    }

    /** Waits for the batch being applied, whatever its outcome, so nothing touches the store after this returns. */
    @Override
    public void close() {
        try {
            drain();
        } catch (RuntimeException | Error ignored) {
            // already reported, or about to be, by whoever ends the replay
        } finally {
            applier.shutdown();
        }
    }
}
