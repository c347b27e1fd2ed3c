package io.mathdb.engine.write;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.OutOfMemory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a group of mutations to the store in one transaction, with a log step between planning and commit. The
 * writer logs the successful requests there; recovery, replaying records that were logged, logs nothing. A group
 * of row changes to tables that all have a live copy in the heap is planned from the copies and only logged: its
 * runs join the {@link Backlog}, which anything else applies to DuckDB first.
 */
final class Applier {
    /** Writes the records of the successful requests (by index) and returns the LSN of the last one. */
    interface LogStep {
        long log(int[] successful);
    }

    /** Per request: its failure or null, rows changed, its LSN; and the last LSN of the group (0 if none). */
    record Outcome(MathDbException[] failures, long[] rows, long[] lsns, long lastLsn) {
    }

    private final DuckStore store;
    private final Catalog catalog;
    private final CommitWatcher watcher;
    private final Backlog backlog;
    /** Set once the writer takes requests; replay applies to DuckDB directly, whatever copies exist. */
    private volatile boolean mayDefer;

    Applier(DuckStore store, Catalog catalog, CommitWatcher watcher) {
        this.store = store;
        this.catalog = catalog;
        this.watcher = watcher;
        this.backlog = new Backlog(store, catalog);
    }

    Outcome apply(List<Mutation> mutations, LogStep logStep) {
        return apply(mutations, logStep, false);
    }

    /** {@code current}: the changes were coerced against the catalog as it is, so they may be deferred. */
    Outcome apply(List<Mutation> mutations, LogStep logStep, boolean current) {
        if (current && mayDefer && deferrable(mutations)) {
            return defer(mutations, logStep);
        }
        applyBacklog();
        if (mutations.size() == 1 && !(mutations.get(0) instanceof Mutation.RowChanges)) {
            return applyDdl(mutations.get(0), logStep);
        }
        SQLException last = null;
        // First try trusts that inserted keys are new, if DuckDB's key index would catch a wrong guess; the second
        // looks every key up; see GroupPlanner.
        for (boolean probeInserts : keyIndexed(mutations) ? TRUST_THEN_PROBE : PROBE) {
            try {
                return attempt(mutations, probeInserts, logStep);
            } catch (SQLException e) {
                store.rollback();
                last = e;
            }
        }
        if (mutations.size() == 1) {
            MathDbException failure = new MathDbException(ErrorCode.INTERNAL, OutOfMemory.is(last)
                    ? OutOfMemory.describe(last) : "the store refused the write: " + last.getMessage(), last);
            return new Outcome(new MathDbException[] {failure}, new long[1], new long[1], 0);
        }
        return isolate(mutations, logStep, current);
    }

    private static final boolean[] TRUST_THEN_PROBE = {false, true};
    private static final boolean[] PROBE = {true};

    /**
     * Builds the key index again for each table the group changes that has no live copy (the copies keep keys
     * unique while the index is dropped, see {@link DuckStore#dropKeyIndex}), and says whether every table the group
     * changes has its index.
     */
    private boolean keyIndexed(List<Mutation> mutations) {
        boolean indexed = true;
        String checked = null;
        for (Mutation mutation : mutations) {
            for (RowChange change : ((Mutation.RowChanges) mutation).changes()) {
                if (Objects.equals(change.table(), checked)) {
                    continue;
                }
                checked = change.table();
                TableSchema schema = catalog.find(checked);
                if (schema != null) {
                    indexed &= watcher.holds(checked) ? store.keyIndexed(schema) : store.ensureKeyIndex(schema);
                }
            }
        }
        return indexed;
    }

    /** Applies each mutation of a group that failed as a whole on its own, so only the culprit fails. */
    private Outcome isolate(List<Mutation> mutations, LogStep logStep, boolean current) {
        int n = mutations.size();
        MathDbException[] failures = new MathDbException[n];
        long[] rows = new long[n];
        long[] lsns = new long[n];
        long lastLsn = 0;
        for (int i = 0; i < n; i++) {
            int index = i;
            Outcome one = apply(List.of(mutations.get(i)), successful -> logStep.log(new int[] {index}), current);
            failures[i] = one.failures()[0];
            rows[i] = one.rows()[0];
            lsns[i] = one.lsns()[0];
            lastLsn = Math.max(lastLsn, one.lastLsn());
        }
        return new Outcome(failures, rows, lsns, lastLsn);
    }

    private Outcome attempt(List<Mutation> mutations, boolean probeInserts, LogStep logStep) throws SQLException {
        int n = mutations.size();
        MathDbException[] failures = new MathDbException[n];
        List<List<RowChange>> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<RowChange> changes = ((Mutation.RowChanges) mutations.get(i)).changes();
            failures[i] = missingTable(changes);
            requests.add(failures[i] == null ? changes : List.of());
        }
        store.begin();
        GroupPlanner.Plan plan;
        try {
            plan = GroupPlanner.plan(requests, probe, probeInserts);
            for (Run run : plan.runs()) {
                store.apply(catalog.require(run.table()), run);
            }
        } catch (UncheckedSqlException e) {
            throw e.getCause();
        }
        for (int i = 0; i < n; i++) {
            if (failures[i] == null) {
                failures[i] = plan.failures()[i];
            }
        }
        int[] successful = successful(failures);
        if (successful.length == 0) {
            store.rollback();
            return new Outcome(failures, plan.rows(), new long[n], 0);
        }
        long lastLsn = logThenCommit(logStep, successful);
        watcher.committed(plan.runs());
        return logged(failures, plan.rows(), successful, lastLsn);
    }

    /** The indexes of the requests that did not fail, in order. */
    private static int[] successful(MathDbException[] failures) {
        int[] successful = new int[failures.length];
        int count = 0;
        for (int i = 0; i < failures.length; i++) {
            if (failures[i] == null) {
                successful[count++] = i;
            }
        }
        return Arrays.copyOf(successful, count);
    }

    /** The outcome of a logged group: its successful requests' records are consecutive and end at {@code lastLsn}. */
    private static Outcome logged(MathDbException[] failures, long[] rows, int[] successful, long lastLsn) {
        long[] lsns = new long[failures.length];
        for (int k = 0; k < successful.length; k++) {
            lsns[successful[k]] = lastLsn - (successful.length - 1 - k);
        }
        return new Outcome(failures, rows, lsns, lastLsn);
    }

    void mayDefer() {
        mayDefer = true;
    }

    /** Whether every table the group changes has a live copy, which then answers which keys exist. */
    private boolean deferrable(List<Mutation> mutations) {
        String checked = null;
        for (Mutation mutation : mutations) {
            if (!(mutation instanceof Mutation.RowChanges changes)) {
                return false;
            }
            for (RowChange change : changes.changes()) {
                if (!change.table().equals(checked)) {
                    if (!watcher.holds(change.table())) {
                        return false;
                    }
                    checked = change.table();
                }
            }
        }
        return true;
    }

    /** Plans the group from the copies, logs it, changes the copies and leaves DuckDB to the backlog. */
    private Outcome defer(List<Mutation> mutations, LogStep logStep) {
        if (backlog.failure() != null) {
            throw new Writer.WalFailure(new Backlog.StoreBehindException(backlog.failure()));
        }
        int n = mutations.size();
        List<List<RowChange>> requests = new ArrayList<>(n);
        for (Mutation mutation : mutations) {
            requests.add(((Mutation.RowChanges) mutation).changes());
        }
        GroupPlanner.Plan plan = GroupPlanner.plan(requests, probe, true);
        int[] successful = successful(plan.failures());
        if (successful.length == 0) {
            return new Outcome(plan.failures(), plan.rows(), new long[n], 0);
        }
        long lastLsn = logStep.log(successful);
        backlog.add(plan.runs(), lastLsn);
        watcher.beforeCommit();
        watcher.committed(plan.runs());
        return logged(plan.failures(), plan.rows(), successful, lastLsn);
    }

    /**
     * Waits until DuckDB holds the backlog, before the caller uses the store. If DuckDB refused it, acknowledged
     * writes are logged but not in DuckDB: like a failed commit after logging, that stops writes.
     */
    void applyBacklog() {
        try {
            backlog.drain();
        } catch (Backlog.StoreBehindException e) {
            throw new Writer.WalFailure(e);
        }
    }

    Backlog backlog() {
        return backlog;
    }

    private Outcome applyDdl(Mutation mutation, LogStep logStep) {
        MathDbException[] failures = new MathDbException[1];
        try {
            if (mutation instanceof Mutation.CreateTable create) {
                TableSchema existing = catalog.find(create.schema().name());
                if (existing != null) {
                    failures[0] = new MathDbException(ErrorCode.TABLE_EXISTS, "table '" + existing.name()
                            + "' already exists" + (existing.name().equals(create.schema().name()) ? ""
                            : " (table names ignore case)"));
                    return new Outcome(failures, new long[1], new long[1], 0);
                }
                store.begin();
                store.createTable(create.schema());
                long lsn = logThenCommit(logStep, new int[] {0});
                watcher.committed(List.of());
                catalog.put(create.schema());
                return new Outcome(failures, new long[1], new long[] {lsn}, lsn);
            }
            String name = ((Mutation.DropTable) mutation).table();
            TableSchema schema = catalog.find(name);
            if (schema == null) {
                failures[0] = new MathDbException(ErrorCode.NO_SUCH_TABLE, "no table named '" + name + "'");
                return new Outcome(failures, new long[1], new long[1], 0);
            }
            store.begin();
            store.dropTable(schema);
            long lsn = logThenCommit(logStep, new int[] {0});
            watcher.forget(schema.name());
            catalog.remove(name);
            return new Outcome(failures, new long[1], new long[] {lsn}, lsn);
        } catch (SQLException e) {
            store.rollback();
            failures[0] = new MathDbException(ErrorCode.INTERNAL, "the store refused the change: " + e.getMessage(), e);
            return new Outcome(failures, new long[1], new long[1], 0);
        }
    }

    private long logThenCommit(LogStep logStep, int[] successful) throws SQLException {
        long lastLsn;
        try {
            lastLsn = logStep.log(successful);
        } catch (RuntimeException e) {
            store.rollback();
            throw e;
        }
        watcher.beforeCommit();
        try {
            store.commit();
        } catch (SQLException e) {
            watcher.forget(null);
            // Logged but not applied: memory and log disagree, so no further write may be acknowledged.
            throw new Writer.WalFailure(new Backlog.StoreBehindException(e));
        }
        return lastLsn;
    }

    private MathDbException missingTable(List<RowChange> changes) {
        String checked = null;
        for (RowChange change : changes) {
            // A request's changes nearly always name one table: skip the lookup when the name repeats the last one.
            if (change.table() != null && change.table().equals(checked)) {
                continue;
            }
            checked = change.table();
            if (catalog.find(checked) == null) {
                return new MathDbException(ErrorCode.NO_SUCH_TABLE, "no table named '" + change.table() + "'");
            }
        }
        return null;
    }

    /** Asks the watcher which keys exist where it holds the table (no query), else the store. */
    private final GroupPlanner.KeyProbe probe = new GroupPlanner.KeyProbe() {
        @Override
        public Set<Object> existing(String table, Collection<Object> keys) {
            if (watcher.holds(table)) {
                return watcher.existing(table, keys);
            }
            try {
                return store.existing(catalog.require(table), keys);
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            }
        }

        @Override
        public boolean free(String table) {
            return watcher.holds(table);
        }
    };

    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
