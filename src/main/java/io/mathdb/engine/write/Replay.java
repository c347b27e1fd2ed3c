package io.mathdb.engine.write;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.ReplayStage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Catalog catalog;
    private final Applier applier;
    private final Path spoolDir;
    private final StagedInserts inserts;
    /** An import's chunks read so far, while its end record is not: null otherwise. */
    private OutputStream spool;
    private Path spoolFile;

    Replay(DuckStore store, Catalog catalog, Applier applier, Path spoolDir) {
        this(store, catalog, applier, spoolDir, StagedInserts.MOVE_ROWS, ReplayStage.DEFER_INDEX_ROWS);
    }

    /**
     * {@code moveRows}: staged insert rows that trigger a move into the tables (see {@link StagedInserts});
     * {@code deferIndexRows}: rows of a move into an empty table that leave its key index until the stretch ends.
     */
    Replay(DuckStore store, Catalog catalog, Applier applier, Path spoolDir, long moveRows, long deferIndexRows) {
        this.store = store;
        this.catalog = catalog;
        this.applier = applier;
        this.spoolDir = spoolDir;
        this.inserts = new StagedInserts(store.replayStage(deferIndexRows), catalog, moveRows);
    }

    /**
     * Applies mutations with consecutive LSNs from {@code firstLsn}; returns the last LSN committed, or 0. Long runs
     * of records that only insert are staged ({@link StagedInserts}) and may still be staged on return, so their LSNs
     * count as committed only once they have moved; everything else goes through the writer's group path, after
     * the staged rows have moved, so the tables see the records in log order.
     */
    long apply(List<Mutation> mutations, long firstLsn) {
        long committed = 0;
        int start = 0; // the first mutation neither applied nor staged yet
        int i = 0;
        while (i < mutations.size()) {
            Mutation m = mutations.get(i);
            if (StagedInserts.onlyInserts(m)) {
                int end = i + 1;
                while (end < mutations.size() && StagedInserts.onlyInserts(mutations.get(end))) {
                    end++;
                }
                // A short run stays with its neighbours, unless it continues a stretch not yet settled.
                if (end - i >= StagedInserts.MIN_RECORDS || !inserts.settled()) {
                    committed = latest(committed, group(mutations.subList(start, i), firstLsn + start));
                    noImportOpen(firstLsn + i);
                    for (int k = i; k < end; k++) {
                        committed = latest(committed, inserts.add((Mutation.RowChanges) mutations.get(k),
                                firstLsn + k));
                    }
                    start = end;
                }
                i = end;
                continue;
            }
            committed = latest(committed, inserts.settle());
            if (!(m instanceof Mutation.RowChanges)) {
                committed = latest(committed, group(mutations.subList(start, i), firstLsn + start));
                long lsn = firstLsn + i;
                if (m instanceof Mutation.ImportChunk || m instanceof Mutation.ImportEnd) {
                    committed = importPart(m, lsn) ? lsn : committed;
                } else {
                    committed = group(mutations.subList(i, i + 1), lsn);
                }
                start = i + 1;
            }
            i++;
        }
        return latest(committed, group(mutations.subList(start, mutations.size()), firstLsn + start));
    }

    private static long latest(long committed, long lsn) {
        return lsn > 0 ? lsn : committed;
    }

    private void noImportOpen(long lsn) {
        if (spool != null) {
            throw new ReplayException(lsn, new IllegalStateException("an import's chunks are not followed by "
                    + "its end record"));
        }
    }

    /** Applies a group of mutations through the writer's path; returns its last LSN, or 0 if it is empty. */
    private long group(List<Mutation> group, long firstLsn) {
        if (group.isEmpty()) {
            return 0;
        }
        noImportOpen(firstLsn);
        Applier.Outcome outcome = applier.apply(group, successful -> firstLsn + successful[successful.length - 1]);
        for (int i = 0; i < group.size(); i++) {
            if (outcome.failures()[i] != null) {
                throw new ReplayException(firstLsn + i, outcome.failures()[i]);
            }
        }
        return firstLsn + group.size() - 1;
    }

    /**
     * An import's chunks are the bytes of a Parquet file, spooled to {@code tmp/}; its end record loads the file in
     * one transaction (returns true then). The chunks and the end are contiguous in the log (the writer logs nothing
     * between them).
     */
    private boolean importPart(Mutation m, long lsn) {
        try {
            if (m instanceof Mutation.ImportChunk chunk) {
                if (spool == null) {
                    spoolFile = Files.createTempFile(spoolDir, "replay-import-", ".parquet");
                    spool = Files.newOutputStream(spoolFile);
                }
                spool.write(chunk.parquet());
                return false;
            }
            Mutation.ImportEnd end = (Mutation.ImportEnd) m;
            if (spool == null) {
                throw new ReplayException(lsn, new IllegalStateException("an import end without its chunks"));
            }
            spool.close();
            spool = null;
            TableSchema schema = catalog.find(end.table());
            if (schema == null) {
                throw new ReplayException(lsn, new IllegalStateException("an import into table '" + end.table()
                        + "', which does not exist"));
            }
            store.begin();
            try {
                store.insertFromParquet(schema, spoolFile, end.replace());
                store.commit();
            } catch (SQLException e) {
                store.rollback();
                throw e;
            }
            Files.delete(spoolFile);
            return true;
        } catch (SQLException | IOException e) {
            throw new ReplayException(lsn, e);
        }
    }

    /**
     * Replay stops at a record further on with {@code failure} (a damaged log): a key repeated in rows that moved
     * without their key index comes before it and stops recovery here instead, with its LSN.
     */
    void stopped(Throwable failure) {
        inserts.abandon(failure);
    }

    /**
     * Ends replay: staged inserts move into their tables and every key index is built (a row a table refuses stops
     * recovery here, with its LSN);
     * an import whose end record is missing was cut by a crash before it was acknowledged, and its chunks are dropped.
     */
    void finish() {
        inserts.settle();
        if (spool != null) {
            try {
                spool.close();
                Files.delete(spoolFile);
            } catch (IOException e) {
                LOG.warning("cannot remove the spooled import " + spoolFile + ": " + e);
            }
            spool = null;
            LOG.warning("MathDB dropped an import cut off at the end of the log; it was never acknowledged");
        }
    }
}
