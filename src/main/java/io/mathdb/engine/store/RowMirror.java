package io.mathdb.engine.store;

import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.RowChange;
import io.mathdb.engine.write.Run;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One table's rows in the JVM, by primary key, as {@link Values#read} gives them. Built once from a scan (see
 * {@link RowMirrors}), then changed only by the writer thread, by the same runs it commits to DuckDB.
 */
final class RowMirror {
    enum State {
        /** Waiting for its scan to begin. */
        PENDING,
        /** Scanning at a pinned LSN; the writer keeps the runs committed since then in {@link #journal}. */
        JOURNALING,
        /** Complete: answers every key of the table. */
        LIVE,
        /** Not kept: too large for the budget, or its scan failed. Reads go to DuckDB. */
        REFUSED
    }

    final TableSchema schema;
    volatile State state = State.PENDING;
    volatile Map<Object, Object[]> rows = Map.of();
    /** Set once a read has asked for this copy to be dropped, so that it is asked once. */
    final AtomicBoolean discarding = new AtomicBoolean();
    /** Writer thread only: the runs committed while scanning; the estimated bytes held, and those reserved. */
    final List<Run> journal = new ArrayList<>();
    long bytes;
    long reserved;

    RowMirror(TableSchema schema) {
        this.schema = schema;
    }

    /**
     * Makes {@code scanned} (of {@code scannedBytes}) the rows, replays the journal onto them and goes live; false,
     * leaving the copy as it was, if a journaled run does not fit the rows. Writer thread.
     */
    boolean goLive(ConcurrentHashMap<Object, Object[]> scanned, long scannedBytes) {
        long[] size = {scannedBytes};
        for (Run run : journal) {
            if (!apply(scanned, run, size)) {
                return false;
            }
        }
        journal.clear();
        bytes = size[0];
        rows = scanned;
        state = State.LIVE;
        return true;
    }

    /** Applies a committed run to a live copy; false if the run does not fit what the copy holds. */
    boolean apply(Run run) {
        long[] size = {bytes};
        boolean applied = apply(rows, run, size);
        bytes = size[0];
        return applied;
    }

    private static boolean apply(Map<Object, Object[]> rows, Run run, long[] bytes) {
        for (RowChange change : run.changes()) {
            Object[] old;
            switch (change.kind()) {
                case INSERT, UPSERT, REPLACE -> {
                    old = rows.put(change.key(), change.values());
                    bytes[0] += estimateBytes(change.values());
                }
                case PATCH -> {
                    old = rows.get(change.key());
                    if (old == null) {
                        return false;
                    }
                    Object[] row = old.clone();
                    boolean[] mask = change.mask();
                    for (int i = 0; i < row.length; i++) {
                        if (mask[i]) {
                            row[i] = change.values()[i];
                        }
                    }
                    rows.put(change.key(), row);
                    bytes[0] += estimateBytes(row);
                }
                case DELETE -> old = rows.remove(change.key());
                default -> {
                    return false; // insert-or-ignore never reaches a commit (GroupPlanner)
                }
            }
            if (old != null) {
                bytes[0] -= estimateBytes(old);
            }
        }
        return true;
    }

    /** Heap bytes one row takes in a copy, roughly: the map entry, the array and each value. */
    static long estimateBytes(Object[] row) {
        long bytes = 48 + 16 + 4L * row.length;
        for (Object v : row) {
            bytes += estimateBytes(v);
        }
        return bytes;
    }

    private static long estimateBytes(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String s) {
            return 40 + 2L * s.length(); // Latin-1 strings take half of that
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            return 64;
        }
        if (v instanceof LocalDateTime) {
            return 72;
        }
        if (v instanceof LocalDate) {
            return 24;
        }
        return 16;
    }
}
