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
    /** Writer thread only. */
    final List<Run> journal = new ArrayList<>();
    /** Estimated heap bytes per row, set by the scan; and the bytes reserved from the budget. */
    long bytesPerRow;
    long reserved;

    RowMirror(TableSchema schema) {
        this.schema = schema;
    }

    /** Makes {@code scanned} the rows, replays the journal onto them and goes live; on the writer thread. */
    void goLive(ConcurrentHashMap<Object, Object[]> scanned) {
        for (Run run : journal) {
            apply(scanned, run);
        }
        journal.clear();
        rows = scanned;
        state = State.LIVE;
    }

    /** Applies a committed run to a live mirror; false if the run does not fit what the mirror holds. */
    boolean apply(Run run) {
        return apply(rows, run);
    }

    private boolean apply(Map<Object, Object[]> rows, Run run) {
        for (RowChange change : run.changes()) {
            switch (change.kind()) {
                case INSERT, UPSERT, REPLACE -> rows.put(change.key(), change.values());
                case PATCH -> {
                    Object[] old = rows.get(change.key());
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
                }
                case DELETE -> rows.remove(change.key());
                default -> {
                    return false; // insert-or-ignore never reaches a commit (GroupPlanner)
                }
            }
        }
        return true;
    }

    /** Heap bytes one row takes in a mirror, roughly: the map entry, the array and each value. */
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
