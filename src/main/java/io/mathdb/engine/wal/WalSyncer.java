package io.mathdb.engine.wal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides when the log is fsynced: on a flush timer, on request (group commit), and as backpressure when
 * fsync falls behind. One daemon thread performs every sync, so all requests that arrive while a sync runs
 * share the next one.
 *
 * <p>Futures complete on the sync thread; chain heavy work with the {@code *Async} methods.
 */
public final class WalSyncer implements AutoCloseable {

    private record Waiter(long lsn, CompletableFuture<Long> future) {
    }

    private final WalWriter writer;
    private final long intervalNanos;
    private final boolean timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparingLong(Waiter::lsn));
    private boolean closed;
    private final Thread thread;

    /**
     * @param flushInterval the longest an acknowledged write may wait for fsync; {@link Duration#ZERO} turns
     *                      the timer and the backpressure off, leaving only explicit flushes and waits
     */
    public WalSyncer(WalWriter writer, Duration flushInterval) {
        this(writer, flushInterval, true);
    }

    /** With {@code timer == false} only requests trigger a sync; backpressure still uses the interval. */
    WalSyncer(WalWriter writer, Duration flushInterval, boolean timer) {
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flush interval must not be negative: " + flushInterval);
        }
        this.writer = writer;
        this.intervalNanos = flushInterval.toNanos();
        this.timer = timer && intervalNanos > 0;
        this.thread = new Thread(this::run, "mathdb-wal-sync");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Completes with the durable LSN once an fsync covers {@code lsn}, or exceptionally with
     * {@link WalFailedException} once the log has failed. {@code lsn} must already be appended.
     */
    public CompletableFuture<Long> awaitDurable(long lsn) {
        long durable = writer.durableLsn();
        if (lsn <= durable) {
            return CompletableFuture.completedFuture(durable);
        }
        Optional<WalFailedException> failure = writer.failure();
        if (failure.isPresent()) {
            return CompletableFuture.failedFuture(failure.get());
        }
        if (lsn > writer.lastLsn()) {
            throw new IllegalArgumentException("LSN " + lsn + " has not been appended (last is " + writer.lastLsn() + ")");
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("WAL syncer is closed"));
            }
            waiters.add(new Waiter(lsn, future));
            wake.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Fsyncs everything appended so far and returns the durable LSN. */
    public long flush() {
        try {
            return awaitDurable(writer.lastLsn()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Called by the engine's writer thread before it appends: while the oldest write not yet fsynced is
     * older than the flush interval, requests a sync and waits for it, so fsync lag cannot silently widen
     * the window of loss on power failure. A no-op when the interval is zero.
     */
    public void throttle() {
        if (intervalNanos == 0) {
            return;
        }
        while (writer.lagNanos() > intervalNanos) {
            flush();
        }
    }

    /** Age of the oldest write not yet covered by an fsync, in nanoseconds; 0 if none. */
    public long lagNanos() {
        return writer.lagNanos();
    }

    public WalStats stats() {
        return writer.stats();
    }

    /** Stops the thread, then syncs one last time. Does not close the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        joinThread();
        if (writer.failure().isPresent()) {
            failWaiters(writer.failure().get());
            return;
        }
        try {
            writer.sync();
            completeWaiters(writer.durableLsn());
        } catch (WalFailedException e) {
            failWaiters(e);
            throw e;
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + intervalNanos;
        while (true) {
            lock.lock();
            try {
                while (!closed && waiters.isEmpty()) {
                    if (!timer) {
                        wake.awaitUninterruptibly();
                        continue;
                    }
                    long left = nextTick - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    awaitNanos(left);
                }
                if (closed) {
                    return; // close() makes the final sync on its own thread
                }
            } finally {
                lock.unlock();
            }
            if (timer && System.nanoTime() - nextTick >= 0) {
                nextTick = System.nanoTime() + intervalNanos;
            }
            syncOnce();
        }
    }

    private void syncOnce() {
        try {
            writer.sync(); // returns at once when nothing is unsynced
        } catch (WalFailedException e) {
            failWaiters(e);
            return;
        } catch (RuntimeException e) {
            failWaiters(e); // keep the thread alive; the writer latches real I/O failures itself
            return;
        }
        completeWaiters(writer.durableLsn());
    }

    private void completeWaiters(long durable) {
        List<Waiter> done = new ArrayList<>();
        lock.lock();
        try {
            while (!waiters.isEmpty() && waiters.peek().lsn() <= durable) {
                done.add(waiters.poll());
            }
        } finally {
            lock.unlock();
        }
        // Completed outside the lock: dependent stages run here and may call back into this syncer.
        done.forEach(w -> w.future().complete(durable));
    }

    private void failWaiters(Throwable cause) {
        List<Waiter> failed;
        lock.lock();
        try {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        failed.forEach(w -> w.future().completeExceptionally(cause));
    }

    private void awaitNanos(long nanos) {
        try {
            wake.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // Only close() stops this thread; an interrupt just ends this wait early.
        }
    }

    private void joinThread() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
