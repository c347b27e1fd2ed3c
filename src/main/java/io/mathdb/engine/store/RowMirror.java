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
 * One table's rows in the JVM, by primary key, as {@link Values#read} gives them, or only its keys ({@link
 * #keysOnly}, for a table written but not read by key; see {@link KeySet}). Built once from a scan (see {@link
 * RowMirrors}), then changed only by the writer thread, by the same runs it commits to DuckDB.
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
    final boolean keysOnly;
    volatile State state = State.PENDING;
    volatile Map<Object, Object[]> rows = Map.of();
    /** Keys only: the table's keys; writer thread only once live. */
    KeySet keys;
    private long changedSinceSized;
    /** Set once a read has asked for this copy to be dropped, so that it is asked once. */
    final AtomicBoolean discarding = new AtomicBoolean();
    /** Writer thread only: the runs committed while scanning; the estimated bytes held, and those reserved. */
    final List<Run> journal = new ArrayList<>();
    long bytes;
    long reserved;
    /** Writer thread only: the table's key index was dropped for this copy, and comes back when it is given up. */
    boolean tookIndex;

    RowMirror(TableSchema schema, boolean keysOnly) {
        this.schema = schema;
        this.keysOnly = keysOnly;
        this.keys = keysOnly ? KeySet.of(schema) : null;
    }

    /** As {@link #goLive}, for a copy of keys only. */
    boolean goLiveKeys(KeySet scanned) {
        for (Run run : journal) {
            if (!apply(scanned, run)) {
                return false;
            }
        }
        journal.clear();
        keys = scanned;
        bytes = scanned.bytes();
        state = State.LIVE;
        return true;
    }

    /** Whether the live copy holds {@code key}. Writer thread. */
    boolean holds(Object key) {
        return keysOnly ? keys.contains(key) : rows.containsKey(key);
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
        if (keysOnly) {
            if (!apply(keys, run)) {
                return false;
            }
            // sizing may walk the keys: as often as a constant share of them, so the cost per change stays flat
            changedSinceSized += run.changes().size();
            if (changedSinceSized >= Math.max(4096, bytes / 64)) {
                changedSinceSized = 0;
                bytes = keys.bytes();
            }
            return true;
        }
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

    private static boolean apply(KeySet keys, Run run) {
        for (RowChange change : run.changes()) {
            Object key = change.key();
            switch (change.kind()) {
                case INSERT, UPSERT, REPLACE -> keys.add(key);
                case PATCH -> {
                    if (!keys.contains(key)) {
                        return false;
                    }
                }
                case DELETE -> keys.remove(key);
                default -> {
                    return false;
                }
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

    static long estimateBytes(Object v) {
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
