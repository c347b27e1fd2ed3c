package io.mathdb.engine.write;

import io.mathdb.engine.Durability;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.WriteResult;
import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that changes the database. It drains its queue and handles each drained group in one DuckDB
 * transaction: {@link GroupPlanner plan} which requests succeed, apply their changes as set operations, write their
 * log records with one system call, commit, acknowledge. A record is in the log before its change is visible. Groups
 * on tables copied in the heap are acknowledged from the log and the copies, and reach DuckDB through the
 * {@link Backlog}'s thread; the writer waits for it before any other work on DuckDB, and readers of DuckDB wait for
 * it too ({@link #awaitStored}).
 *
 * <p>After the log fails once, no write is acknowledged again: every later request fails with
 * {@code writes_stopped} while reads go on.
 */
public final class Writer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    private static final int MAX_GROUP = 4096;

    private final DuckStore store;
    private final Catalog catalog;
    private volatile WriteLog log;
    private final Applier applier;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile Throwable failure;
    private volatile long appliedLsn;
    private final Replay replay;

    private final CommitWatcher watcher;

    /**
     * {@code spoolDir} holds a replayed import's file until its end record is read; {@code watcher} is told of every
     * commit.
     */
    public Writer(DuckStore store, Catalog catalog, Path spoolDir, CommitWatcher watcher) {
        this.store = store;
        this.catalog = catalog;
        this.watcher = watcher;
        this.applier = new Applier(store, catalog, watcher);
        this.replay = new Replay(store, catalog, applier, spoolDir);
        this.thread = new Thread(this::loop, "mathdb-writer");
        thread.setDaemon(true);
    }

    /** Starts taking writes, logging them to {@code log}; call after {@link #replay recovery}. */
    public void start(WriteLog log) {
        this.log = log;
        applier.mayDefer(); // not during replay: it applies to DuckDB directly
        appliedLsn = Math.max(appliedLsn, log.lastLsn());
        thread.start();
    }


    /**
     * Applies mutations read back from the log, with consecutive LSNs from {@code firstLsn}, before the writer
     * starts (see {@link Replay}).
     */
    public void replay(List<Mutation> mutations, long firstLsn) {
        long last = replay.apply(mutations, firstLsn);
        if (last > 0) {
            appliedLsn = last;
        }
    }

    /** Ends replay; see {@link Replay#finish}. */
    public void finishReplay() {
        replay.finish();
    }

    /** Replay stops before the log's end with {@code failure}; see {@link Replay#stopped}. */
    public void replayStopped(Throwable failure) {
        replay.stopped(failure);
    }

    /** Queues a mutation; the future completes once it is logged, applied and (if asked) durable. */
    public CompletableFuture<WriteResult> submit(Mutation mutation, Durability durability) {
        return submit(mutation, durability, -1);
    }

    /**
     * As {@link #submit(Mutation, Durability)}, for row changes coerced against the catalog at {@code catalogVersion}
     * ({@link Catalog#version}, read before the schema was looked up). Only such changes, still current when the
     * writer takes them, may skip DuckDB for the backlog: values coerced for a table since dropped and created again
     * must meet DuckDB's own checks, which refuse them, before they are acknowledged.
     */
    public CompletableFuture<WriteResult> submit(Mutation mutation, Durability durability, long catalogVersion) {
        WriteRequest request = WriteRequest.of(mutation, durability, catalogVersion);
        if (!accepting) {
            request.result().completeExceptionally(new MathDbException(ErrorCode.CLOSED, "the database is closed"));
        } else if (failure() != null) {
            request.result().completeExceptionally(stopped());
        } else {
            enqueue(request);
        }
        return request.result();
    }

    /**
     * Runs {@code task} on the writer thread between two groups, when every acknowledged write is applied and no
     * other is half-way: the moment a heap copy of a table goes live.
     */
    public <T> CompletableFuture<T> between(Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                applyBacklog();
                done.complete(task.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        };
        betweenGroups(run);
        return done;
    }

    /**
     * Runs {@code task} with an LSN at a moment DuckDB holds exactly the log up to it, every write acknowledged before
     * the call included, and nothing changes DuckDB until the task returns: the moment a snapshot or an export opens
     * its read transaction. On the writer thread between two groups when DuckDB holds every acknowledged write,
     * otherwise on the backlog's thread right after the batch that makes it so, while the writer goes on logging:
     * the task may read the catalog and {@link DuckStore#changeStamp}, and must not change anything. The future
     * completes on the thread that ran the task: wait for it rather than chain work onto it, which would hold that
     * thread. The rows waiting for DuckDB go at once, as for a reader.
     */
    public <T> CompletableFuture<T> pinned(LongFunction<T> task) {
        return pinned(task, true);
    }

    /**
     * As {@link #pinned(LongFunction)}, for work in no hurry (a snapshot): it rides the backlog's next batch when that
     * is due rather than sending a small one early, which under steady writes costs a transaction a pin.
     */
    public <T> CompletableFuture<T> pinnedAtNextBatch(LongFunction<T> task) {
        return pinned(task, false);
    }

    private <T> CompletableFuture<T> pinned(LongFunction<T> task, boolean urgent) {
        CompletableFuture<T> done = new CompletableFuture<>();
        LongConsumer atPin = lsn -> {
            try {
                done.complete(task.apply(lsn));
            } catch (Throwable e) { // on the backlog's thread, a read's failure must not stop it
                done.completeExceptionally(e);
            }
        };
        Runnable run = () -> {
            if (!applier.backlog().pinWhenStored(atPin, e -> done.completeExceptionally(
                    e instanceof Backlog.StoreBehindException behind ? storeBehind(behind) : e), urgent)) {
                atPin.accept(appliedLsn);
            }
        };
        betweenGroups(run);
        return done;
    }

    private void betweenGroups(Runnable run) {
        if (thread.isAlive()) {
            enqueue(run);
        } else {
            run.run(); // not started, or stopped: nothing else writes, so now is between two groups
        }
    }

    /**
     * Work that needs the writer's connection and log to itself, such as a bulk import: it runs on the writer thread
     * between two groups, begins and commits its own transaction, and logs through the given log (a log failure
     * there stops writes like any other). It returns the outcome with the LSN of its last record.
     */
    public interface ExclusiveWrite {
        WriteResult run(WriteLog log) throws SQLException;

        /** The table the work changes; null if it may change any. */
        default String table() {
            return null;
        }
    }

    /** Queues exclusive work; the future completes as for {@link #submit}. */
    public CompletableFuture<WriteResult> exclusive(ExclusiveWrite work, Durability durability) {
        CompletableFuture<WriteResult> result = new CompletableFuture<>();
        if (!accepting) {
            result.completeExceptionally(new MathDbException(ErrorCode.CLOSED, "the database is closed"));
            return result;
        }
        enqueue((Runnable) () -> runExclusive(work, durability, result));
        return result;
    }

    private void runExclusive(ExclusiveWrite work, Durability durability, CompletableFuture<WriteResult> result) {
        if (failure() != null) {
            result.completeExceptionally(stopped());
            return;
        }
        WriteLog guarded = new FailureLatchingLog(log);
        try {
            applyBacklog();
            log.throttle();
            watcher.forget(work.table()); // the work changes a table in ways runs do not describe
            WriteResult outcome = work.run(guarded);
            appliedLsn = outcome.lsn();
            acknowledge(result, outcome, durability);
        } catch (WalFailure e) {
            failure = e.getCause();
            LOG.log(Level.SEVERE, "MathDB writes are stopped: " + e.getCause().getMessage(), e.getCause());
            result.completeExceptionally(stopped());
        } catch (MathDbException e) {
            result.completeExceptionally(e);
        } catch (SQLException | RuntimeException e) {
            result.completeExceptionally(new MathDbException(ErrorCode.INTERNAL, "the store refused the write: "
                    + e.getMessage(), e));
        }
    }

    private void acknowledge(CompletableFuture<WriteResult> future, WriteResult result, Durability durability) {
        if (durability == Durability.SYNC) {
            log.awaitDurable(result.lsn()).whenComplete((lsn, error) -> {
                if (error != null) {
                    future.completeExceptionally(stopped());
                } else {
                    future.complete(result);
                }
            });
        } else {
            future.complete(result);
        }
    }

    /** The LSN of the last write applied and visible to readers. */
    public long appliedLsn() {
        return appliedLsn;
    }

    /**
     * Returns once every write acknowledged before the call is in DuckDB, not only in the log and the heap copies:
     * call before reading DuckDB. Costs two volatile reads when nothing waits in the backlog.
     */
    public void awaitStored() {
        try {
            applier.backlog().awaitStored();
        } catch (Backlog.StoreBehindException e) {
            throw storeBehind(e);
        }
    }

    /** What a reader is told once DuckDB has refused logged writes: it lacks acknowledged ones until a restart. */
    private static MathDbException storeBehind(Backlog.StoreBehindException e) {
        return new MathDbException(ErrorCode.WRITES_STOPPED, e.getMessage(), e.getCause());
    }

    /** Waits until DuckDB holds the backlog, on the writer thread; if it never will, writes stop. */
    private void applyBacklog() {
        try {
            applier.applyBacklog();
        } catch (WalFailure e) {
            if (failure == null) {
                failure = e.getCause();
            }
            throw new MathDbException(ErrorCode.WRITES_STOPPED, e.getCause().getMessage(), e.getCause());
        }
    }

    /** Rows logged and acknowledged that DuckDB has yet to take (see {@link Backlog}). */
    public long backlogRows() {
        return applier.backlog().rows();
    }

    /**
     * The first failure after which writes stop, null while healthy: of the log, or of DuckDB refusing writes the
     * log holds (which the backlog may learn before the writer does).
     */
    public Throwable failure() {
        Throwable stored = applier.backlog().failure();
        return failure != null ? failure : stored == null ? null : new Backlog.StoreBehindException(stored);
    }

    private void loop() {
        List<WriteRequest> group = new ArrayList<>();
        List<Object> drained = new ArrayList<>();
        boolean stopping = false;
        try {
            // After STOP, whatever was queued before or just after it is still applied (see close and stranded).
            while (!stopping || !queue.isEmpty()) {
                drained.add(queue.take());
                queue.drainTo(drained, MAX_GROUP - 1);
                for (Object item : drained) {
                    if (item instanceof WriteRequest request) {
                        group.add(request);
                    } else {
                        handle(group);
                        if (item == STOP) {
                            stopping = true;
                        } else {
                            ((Runnable) item).run();
                        }
                    }
                }
                handle(group);
                drained.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues work for the writer thread; if that thread has already ended (a close raced the caller), handles what
     * is left in the queue at once: requests fail with {@code closed}, tasks run, as nothing else writes any more.
     */
    private void enqueue(Object item) {
        queue.add(item);
        if (!accepting && !thread.isAlive()) {
            stranded();
        }
    }

    private synchronized void stranded() {
        for (Object item; (item = queue.poll()) != null; ) {
            if (item instanceof WriteRequest r) {
                r.result().completeExceptionally(new MathDbException(ErrorCode.CLOSED, "the database is closed"));
            } else if (item != STOP) {
                ((Runnable) item).run();
            }
        }
    }

    private void handle(List<WriteRequest> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            if (failure() != null) {
                group.forEach(r -> r.result().completeExceptionally(stopped()));
                return;
            }
            log.throttle();
            int start = 0;
            for (int i = 0; i <= group.size(); i++) {
                // Table creation and drop change the catalog: they are applied on their own, in queue order.
                if (i == group.size() || !(group.get(i).mutation() instanceof Mutation.RowChanges)) {
                    if (i > start) {
                        applyRows(group.subList(start, i));
                    }
                    if (i < group.size()) {
                        applyRows(group.subList(i, i + 1));
                    }
                    start = i + 1;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "MathDB writer failed; writes are stopped", e);
            failure = failure == null ? e : failure;
            watcher.forget(null); // it may have failed half-way through a commit
            group.forEach(r -> r.result().completeExceptionally(stopped()));
        } finally {
            group.clear();
        }
    }

    /**
     * Refuses the requests whose values were coerced for a table since dropped and created again: they may hold
     * values of other classes than its columns take now, which the store cannot even pass to DuckDB.
     */
    private List<WriteRequest> withoutStale(List<WriteRequest> requests) {
        List<WriteRequest> fresh = null;
        for (int i = 0; i < requests.size(); i++) {
            WriteRequest r = requests.get(i);
            String stale = r.catalogVersion() < 0 || r.catalogVersion() == catalog.version() ? null : staleTable(r);
            if (stale != null) {
                r.result().completeExceptionally(new MathDbException(ErrorCode.NO_SUCH_TABLE, "table '" + stale
                        + "' was dropped and created again while this write waited; nothing was written"));
                if (fresh == null) {
                    fresh = new ArrayList<>(requests.subList(0, i));
                }
            } else if (fresh != null) {
                fresh.add(r);
            }
        }
        return fresh == null ? requests : fresh;
    }

    private String staleTable(WriteRequest r) {
        if (r.mutation() instanceof Mutation.RowChanges rows) {
            for (RowChange change : rows.changes()) {
                if (catalog.createdAfter(change.table(), r.catalogVersion())) {
                    return change.table();
                }
            }
        }
        return null;
    }

    /** Applies one group of row changes, or one table creation or drop, in one transaction. */
    private void applyRows(List<WriteRequest> queued) {
        List<WriteRequest> requests = withoutStale(queued);
        if (requests.isEmpty()) {
            return;
        }
        List<Mutation> mutations = new ArrayList<>(requests.size());
        for (WriteRequest r : requests) {
            mutations.add(r.mutation());
        }
        boolean current = true;
        for (WriteRequest r : requests) {
            current &= r.catalogVersion() == catalog.version();
        }
        Applier.Outcome outcome;
        try {
            outcome = applier.apply(mutations, successful -> logSuccessful(successful, requests), current);
        } catch (WalFailure e) {
            failure = e.getCause();
            LOG.log(Level.SEVERE, "MathDB writes are stopped: " + e.getCause().getMessage(), e.getCause());
            requests.forEach(r -> r.result().completeExceptionally(stopped()));
            return;
        }
        if (outcome.lastLsn() > 0) {
            appliedLsn = outcome.lastLsn(); // before any acknowledgement: a client that saw its LSN sees it here too
        }
        for (int i = 0; i < requests.size(); i++) {
            WriteRequest r = requests.get(i);
            if (outcome.failures()[i] != null) {
                r.result().completeExceptionally(outcome.failures()[i]);
                continue;
            }
            acknowledge(r.result(), new WriteResult(outcome.lsns()[i], outcome.rows()[i]), r.durability());
        }
    }

    /** Logs the successful requests' payloads; called inside the transaction, before commit. */
    private long logSuccessful(int[] successful, List<WriteRequest> requests) {
        List<byte[]> payloads = new ArrayList<>(successful.length);
        for (int i : successful) {
            payloads.add(requests.get(i).payload());
        }
        try {
            return log.append(requests.get(successful[0]).mutation().walType(), payloads);
        } catch (RuntimeException e) {
            throw new WalFailure(e);
        }
    }

    private MathDbException stopped() {
        Throwable cause = failure();
        boolean store = cause instanceof Backlog.StoreBehindException;
        String why = cause == null ? "" : ": " + cause.getMessage()
                + (store || cause.getCause() == null ? "" : " (" + cause.getCause().getMessage() + ")");
        return new MathDbException(ErrorCode.WRITES_STOPPED, "writes are stopped after "
                + (store ? "DuckDB refused logged writes" : "a write-ahead log failure") + why
                + (store ? "" : "; reads continue, restart to recover"), cause);
    }

    /** Stops accepting writes, applies every queued one, and stops the thread. */
    @Override
    public void close() {
        accepting = false;
        queue.add(STOP);
        // Even when interrupted: the log and DuckDB are closed next, and the writer must be done with them.
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        stranded();
        applier.backlog().close(); // applies what waits; the writer adds no more
    }

    private static final Runnable STOP = () -> { };

    /** Sets the LSN of the state recovery loaded from a snapshot, before any record is replayed onto it. */
    public void recoveredTo(long lsn) {
        appliedLsn = lsn;
    }

    /** Carries a log failure out of the applier (or exclusive work), which then rolls back. */
    static final class WalFailure extends RuntimeException {
        WalFailure(Throwable cause) {
            super(cause);
        }
    }
}
