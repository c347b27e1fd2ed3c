package io.mathdb.engine.write;

import io.mathdb.engine.MathDbException;
import io.mathdb.engine.store.DuckStore;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Logger;

/**
 * Applies records read back from the log at start-up, through the writer's own group path but without logging.
 * They were applied once already, so each must apply again; one that does not means the log and the state it is
 * replayed onto disagree, and recovery stops with its LSN.
 */
final class Replay {
    private static final Logger LOG = Logger.getLogger(Replay.class.getName());

    private final DuckStore store;
    private final Applier applier;
    /** An import's chunks are applied and its end record not yet read. */
    private boolean importOpen;

    Replay(DuckStore store, Applier applier) {
        this.store = store;
        this.applier = applier;
    }

    /** Applies mutations with consecutive LSNs from {@code firstLsn}; returns the last LSN committed, or 0. */
    long apply(List<Mutation> mutations, long firstLsn) {
        long committed = 0;
        int start = 0;
        for (int i = 0; i <= mutations.size(); i++) {
            if (i == mutations.size() || !(mutations.get(i) instanceof Mutation.RowChanges)) {
                if (i > start) {
                    committed = group(mutations.subList(start, i), firstLsn + start);
                }
                if (i < mutations.size()) {
                    Mutation m = mutations.get(i);
                    long lsn = firstLsn + i;
                    if (m instanceof Mutation.ImportChunk || m instanceof Mutation.ImportEnd) {
                        committed = importPart(m, lsn) ? lsn : committed;
                    } else {
                        committed = group(mutations.subList(i, i + 1), lsn);
                    }
                }
                start = i + 1;
            }
        }
        return committed;
    }

    private long group(List<Mutation> group, long firstLsn) {
        if (importOpen) {
            throw new ReplayException(firstLsn, new IllegalStateException("an import's chunks are not followed by "
                    + "its end record"));
        }
        Applier.Outcome outcome = applier.apply(group, successful -> firstLsn + successful[successful.length - 1]);
        for (int i = 0; i < group.size(); i++) {
            if (outcome.failures()[i] != null) {
                throw new ReplayException(firstLsn + i, outcome.failures()[i]);
            }
        }
        return firstLsn + group.size() - 1;
    }

    /**
     * An import's chunks are applied in one open transaction, committed at its end record (returns true then). The
     * chunks and the end are contiguous in the log (the writer logs nothing between them).
     */
    private boolean importPart(Mutation m, long lsn) {
        try {
            if (m instanceof Mutation.ImportChunk chunk) {
                if (!importOpen) {
                    store.begin();
                    importOpen = true;
                }
                MathDbException failure = applier.applyOpen(chunk.changes());
                if (failure != null) {
                    throw new ReplayException(lsn, failure);
                }
                return false;
            }
            if (!importOpen) {
                throw new ReplayException(lsn, new IllegalStateException("an import end without its chunks"));
            }
            store.commit();
            importOpen = false;
            return true;
        } catch (SQLException e) {
            throw new ReplayException(lsn, e);
        }
    }

    /**
     * Ends replay: an import whose end record is missing was cut by a crash before it was acknowledged, and its
     * chunks are dropped.
     */
    void finish() {
        if (importOpen) {
            store.rollback();
            importOpen = false;
            LOG.warning("MathDB dropped an import cut off at the end of the log; it was never acknowledged");
        }
    }
}
