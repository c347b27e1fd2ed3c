package io.mathdb.engine.write;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.OutOfMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logged and acknowledged changes not yet in DuckDB, and the thread that applies them. A group whose tables all have
 * a live copy in the heap is planned from the copies and acknowledged once its log record is written and the copies
 * have it; the writer hands its runs here and goes on. This thread applies them in batches of {@link #BATCH_ROWS},
 * or what gathered within {@link #MAX_DELAY_NANOS}, or at once when someone waits for DuckDB, each in one
 * transaction: DuckDB's cost per statement hardly depends on the rows it changes (see {@link #BATCH_ROWS}), so many
 * small transactions become few large ones, and the writer never waits for them.
 *
 * <p>DuckDB therefore always holds a prefix of the log, and this backlog the rest. Readers of DuckDB wait until it
 * holds every write handed over before they asked ({@link #awaitStored}); the writer waits until the backlog is
 * empty ({@link #drain}) before it touches DuckDB itself, so the two never use the store at once. A read that must
 * see DuckDB at exactly one LSN (a snapshot, an export) opens its transaction on this thread between two batches
 * ({@link #pinWhenStored}), so the writer goes on meanwhile. Consecutive runs of one kind on one table merge into one
 * run: the store applies a run's repeated keys in order (the last replacement wins, patches fold).
 */
final class Backlog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Backlog.class.getName());

    /** Rows waiting beyond which the writer waits too, so that a store slower than the log bounds the heap. */
    static final int MAX_ROWS = 16_384;
    /**
     * Rows worth one transaction: below this, the thread waits up to {@link #MAX_DELAY_NANOS} for more, unless
     * someone waits for DuckDB. On two cores every transaction's fixed cost is taken from the request threads:
     * applying whatever had gathered, at once, cost a third of W1's throughput. An in-place update of a 1M-row table
     * costs DuckDB ~45-65 ms of CPU whether it changes 1000 rows or 12000, so at W2's rate (upserts of random
     * existing keys) 100 ms batches of ~1500 rows cost ~47 µs of CPU a row and 500 ms ones of up to 8192 rows ~13 µs
     * (bench/ANALYSIS.md); a reader that needs DuckDB meanwhile does not wait for the delay, only for the batch.
     */
    static final int BATCH_ROWS = 8192;
    static final long MAX_DELAY_NANOS = 500_000_000;

    private final DuckStore store;
    private final Catalog catalog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    /** Guarded by lock: runs not yet taken by the applying thread, their rows, whether a batch is being applied. */
    private List<Run> waiting = new ArrayList<>();
    private int waitingRows;
    private int applyingRows;
    private long firstWaitingNanos;
    /** Readers and writer waiting for DuckDB: the batch goes at once, however small. */
    private int demand;
    /** Tasks to run once DuckDB holds the LSN they wait for: see {@link #pinWhenStored}. */
    private List<Pin> pins = new ArrayList<>();
    private boolean closed;
    /** The LSN of the last write handed over, and of the last one DuckDB holds. */
    private volatile long handedLsn;
    private volatile long storedLsn;
    private volatile Throwable failure;

    Backlog(DuckStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
        this.thread = new Thread(this::loop, "mathdb-backlog");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands over a logged group's runs, whose last record has {@code lastLsn}. Writer thread, before the group is
     * acknowledged; waits while too many rows wait already.
     */
    void add(List<Run> runs, long lastLsn) {
        int rows = 0;
        lock.lock();
        try {
            while (waitingRows >= MAX_ROWS && failure == null) {
                changed.awaitUninterruptibly();
            }
            for (Run run : runs) {
                Run last = waiting.isEmpty() ? null : waiting.get(waiting.size() - 1);
                if (last != null && last.kind() == run.kind() && last.table().equals(run.table())) {
                    last.changes().addAll(run.changes());
                } else {
                    waiting.add(new Run(run.kind(), run.table(), new ArrayList<>(run.changes())));
                }
                rows += run.changes().size();
            }
            if (waitingRows == 0) {
                firstWaitingNanos = System.nanoTime();
            }
            waitingRows += rows;
            handedLsn = lastLsn;
            if (waitingRows == 0 && applyingRows == 0 && failure == null) {
                storedLsn = lastLsn; // a group that changed no row (say, inserts of keys that exist, ignored)
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why DuckDB refused the backlog, or null while it has not. */
    Throwable failure() {
        return failure;
    }

    /** Rows handed over that DuckDB does not hold yet. */
    int rows() {
        lock.lock();
        try {
            return waitingRows + applyingRows;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once DuckDB holds every write handed over before the call; throws {@link StoreBehindException} if it
     * never will. Costs two volatile reads when nothing waits.
     */
    void awaitStored() {
        long target = handedLsn;
        if (storedLsn >= target) {
            return;
        }
        lock.lock();
        try {
            demand++;
            changed.signalAll();
            while (storedLsn < target && failure == null) {
                changed.awaitUninterruptibly();
            }
        } finally {
            demand--;
            lock.unlock();
        }
        if (storedLsn < target) {
            throw new StoreBehindException(failure);
        }
    }

    /** Returns once nothing waits and nothing is being applied: the writer may use the store. */
    void drain() {
        lock.lock();
        try {
            demand++;
            changed.signalAll();
            while ((waitingRows > 0 || applyingRows > 0) && failure == null) {
                changed.awaitUninterruptibly();
            }
        } finally {
            demand--;
            lock.unlock();
        }
        if (failure != null) {
            throw new StoreBehindException(failure);
        }
    }

    /**
     * Runs {@code task} on this thread with an LSN at a moment DuckDB holds exactly the log up to it, every write
     * handed over before the call included, and nothing changes DuckDB until the task returns (the writer waits for
     * it in {@link #drain} before it touches DuckDB). Returns false, running nothing, when DuckDB holds every write
     * handed over already (even while this thread still runs the pins of its last batch): the caller, the writer,
     * may run the task itself. If DuckDB refuses a batch, {@code refused} is told instead. An {@code urgent} pin sends
     * the rows waiting at once, as a reader does; any other rides the next batch when it is due. Writer thread.
     */
    boolean pinWhenStored(LongConsumer task, Consumer<Throwable> refused, boolean urgent) {
        lock.lock();
        try {
            if (failure != null) {
                refused.accept(new StoreBehindException(failure));
                return true;
            }
            if (waitingRows == 0 && storedLsn >= handedLsn) {
                return false; // no batch is coming that would run a pin added now
            }
            pins.add(new Pin(handedLsn, task, refused, urgent));
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private record Pin(long target, LongConsumer task, Consumer<Throwable> refused, boolean urgent) {
    }

    /** Whether a pin waits that sends the batch at once. Under the lock. */
    private boolean urgentPin() {
        for (Pin pin : pins) {
            if (pin.urgent()) {
                return true;
            }
        }
        return false;
    }

    private void loop() {
        try {
            run();
        } catch (Throwable t) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = t;
                }
                applyingRows = 0;
                changed.signalAll();
                failPins();
            } finally {
                lock.unlock();
            }
            LOG.log(Level.SEVERE, "MathDB's backlog thread failed; writes are stopped", t);
        }
    }

    private void run() {
        while (true) {
            List<Run> batch;
            long lsn;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (waiting.isEmpty()) {
                    failPins(); // none are left while every batch ran; should one be, its caller must not wait
                    return;
                }
                long left;
                while (waitingRows < BATCH_ROWS && demand == 0 && !urgentPin() && !closed
                        && (left = firstWaitingNanos + MAX_DELAY_NANOS - System.nanoTime()) > 0) {
                    try {
                        changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        break; // daemon thread: nobody interrupts it but the JVM's end
                    }
                }
                batch = waiting;
                lsn = handedLsn;
                applyingRows = waitingRows;
                waiting = new ArrayList<>();
                waitingRows = 0;
                changed.signalAll(); // room for a writer held up in add
            } finally {
                lock.unlock();
            }
            Throwable refused = apply(batch);
            List<Pin> ready = new ArrayList<>();
            long pinLsn;
            lock.lock();
            try {
                if (refused == null) {
                    // groups handed over meanwhile that changed no row need nothing of DuckDB
                    storedLsn = waiting.isEmpty() ? handedLsn : lsn;
                    List<Pin> later = new ArrayList<>();
                    for (Pin pin : pins) {
                        (pin.target() <= storedLsn ? ready : later).add(pin);
                    }
                    pins = later;
                } else {
                    failure = refused;
                    failPins();
                }
                pinLsn = storedLsn;
            } finally {
                lock.unlock();
            }
            // Still applying as far as drain is concerned: the writer leaves DuckDB alone until the pins are taken.
            for (Pin pin : ready) {
                try {
                    pin.task().accept(pinLsn);
                } catch (Throwable e) { // a read's failure must not stop this thread, and so writes
                    pin.refused().accept(e);
                }
            }
            lock.lock();
            try {
                applyingRows = 0;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (refused != null) {
                LOG.log(Level.SEVERE, "MathDB could not apply logged writes to DuckDB; writes are stopped", refused);
                return;
            }
        }
    }

    /** Tells every waiting pin that DuckDB will not reach its LSN (or that the backlog closed). Under the lock. */
    private void failPins() {
        for (Pin pin : pins) {
            pin.refused().accept(new StoreBehindException(failure));
        }
        pins = new ArrayList<>();
    }

    /** Applies a batch in one transaction; returns why DuckDB refused it, or null. */
    private Throwable apply(List<Run> batch) {
        try {
            store.begin();
        } catch (Throwable t) {
            return t;
        }
        try {
            for (Run run : batch) {
                store.apply(catalog.require(run.table()), run);
            }
            store.commit();
            return null;
        } catch (Throwable t) {
            try {
                store.rollback();
            } catch (Throwable rollback) {
                t.addSuppressed(rollback);
            }
            return t;
        }
    }

    /** Applies what waits, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * DuckDB refused writes that the log holds (and that clients were told of, if they came through the backlog): it
     * will not hold them until a restart, which replays them from the log.
     */
    static final class StoreBehindException extends RuntimeException {
        StoreBehindException(Throwable cause) {
            super("logged writes could not be applied to DuckDB: " + (cause == null ? "the database closed"
                    : OutOfMemory.is(cause) ? OutOfMemory.describe(cause) : cause.getMessage())
                    + "; restart to recover them from the log", cause);
        }
    }
}
