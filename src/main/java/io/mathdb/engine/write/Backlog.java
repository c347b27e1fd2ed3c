package io.mathdb.engine.write;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.store.DuckStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Logged and acknowledged changes not yet in DuckDB. A group whose tables all have a live copy in the heap is
 * planned from the copies and acknowledged once its log record is written and the copies have it; its runs wait
 * here and reach DuckDB together, in one transaction, when enough have gathered, when the writer is idle, or before
 * anything reads DuckDB or changes it otherwise. DuckDB's cost per statement hardly depends on the rows it changes
 * (an in-place update of 64 rows ~6 ms, of 4096 rows ~18 ms), so this turns many small transactions into one.
 *
 * <p>DuckDB therefore always holds a prefix of the log, and this backlog the rest. Readers that need DuckDB wait
 * for it ({@link Writer#awaitStored}). Consecutive runs of one kind on one table merge into one run: the store
 * already applies a run's repeated keys in order (the last replacement wins, patches fold).
 */
final class Backlog {
    /**
     * Rows after which the writer applies the backlog before taking more. Applying it holds the writer up (~20 ms
     * for 4096 replaced rows), so this bounds the latency it adds; 16k rows were no faster and tripled the p99.
     */
    static final int MAX_ROWS = 4096;

    private final DuckStore store;
    private final Catalog catalog;
    private final List<Run> runs = new ArrayList<>();
    /** Written by the writer thread only. */
    private volatile int rows;
    /** Written by the writer thread; read by readers deciding whether they must wait. */
    private volatile boolean pending;

    Backlog(DuckStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** Adds a logged group's runs, in order. Writer thread, before the group is acknowledged. */
    void add(List<Run> group) {
        for (Run run : group) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.kind() == run.kind() && last.table().equals(run.table())) {
                last.changes().addAll(run.changes());
            } else {
                runs.add(new Run(run.kind(), run.table(), new ArrayList<>(run.changes())));
            }
            rows += run.changes().size();
        }
        pending = !runs.isEmpty();
    }

    /** Whether acknowledged changes are missing from DuckDB. Any thread. */
    boolean pending() {
        return pending;
    }

    int rows() {
        return rows;
    }

    boolean full() {
        return rows >= MAX_ROWS;
    }

    /**
     * Applies every waiting run to DuckDB in one transaction. If DuckDB refuses, it rolls back and keeps the runs:
     * DuckDB then lacks acknowledged writes, which the caller must treat as fatal for writes and reads by SQL.
     */
    void apply() throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        store.begin();
        try {
            for (Run run : runs) {
                store.apply(catalog.require(run.table()), run);
            }
            store.commit();
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            throw e;
        }
        runs.clear();
        rows = 0;
        pending = false;
    }
}
