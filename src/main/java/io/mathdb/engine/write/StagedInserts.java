package io.mathdb.engine.write;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.ReplayStage;
import java.sql.SQLException;
import java.util.List;

/**
 * A stretch of replayed records that only insert, on its way into the tables through a {@link ReplayStage}. Such
 * records need no planning: each key was new when its record was logged, and nothing in a stretch of inserts deletes
 * one, so their rows go into the tables as they are. A row that does not go in after all (the log and the state
 * disagree) fails the move, which names the record.
 *
 * <p>Staged rows are not in their tables yet, and a table the stretch filled from empty may lack its key index: the
 * stretch must {@link #settle} before anything else reads or changes a table, and before recovery ends.
 */
final class StagedInserts {
    /**
     * Shortest run of inserts worth a stretch of its own: a stage costs a few statements to create, move and drop,
     * so a few inserts among other changes stay in the writer's group path with their neighbours.
     */
    static final int MIN_RECORDS = 256;
    /**
     * Staged rows that trigger a move. Larger moves cost less per row, and staged rows live in DuckDB, not the heap;
     * this bound keeps the stage (and the work a failed move repeats) moderate.
     */
    static final long MOVE_ROWS = 1 << 20;

    private final long moveRows;

    private final ReplayStage stage;
    private final Catalog catalog;
    /** The first and last LSN staged, 0 if the stage is empty. */
    private long firstLsn;
    private long lastLsn;
    /**
     * The table of the last row staged, which the next record most likely names too. The catalog cannot change within
     * a stretch (a DDL record moves it first), and a move forgets it.
     */
    private TableSchema lastSchema;
    /** The last LSN a move took, 0 before the first. */
    private long lastMoved;

    /** {@code moveRows}: staged rows that trigger a move ({@link #MOVE_ROWS} but in tests). */
    StagedInserts(ReplayStage stage, Catalog catalog, long moveRows) {
        this.stage = stage;
        this.catalog = catalog;
        this.moveRows = moveRows;
    }

    /** Whether a record only inserts rows (no upsert, no insert-or-ignore: those depend on what exists). */
    static boolean onlyInserts(Mutation m) {
        if (!(m instanceof Mutation.RowChanges rows) || rows.changes().isEmpty()) {
            return false;
        }
        for (RowChange change : rows.changes()) {
            if (change.kind() != RowChange.Kind.INSERT) {
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return lastLsn == 0;
    }

    /** Whether nothing is staged and every table moved into has its key index: the stretch has ended. */
    boolean settled() {
        return isEmpty() && stage.settled();
    }

    /**
     * Stages the rows of a record that {@link #onlyInserts only inserts}; moves the stretch when it has grown large.
     * Returns the last LSN now in the tables, or 0 if this call moved nothing.
     */
    long add(Mutation.RowChanges record, long lsn) {
        List<RowChange> changes = record.changes();
        TableSchema[] schemas = new TableSchema[changes.size()];
        for (int i = 0; i < schemas.length; i++) {
            String table = changes.get(i).table();
            TableSchema before = i > 0 ? schemas[i - 1] : lastSchema;
            schemas[i] = before != null && before.name().equals(table) ? before : catalog.find(table);
            if (schemas[i] == null) {
                settle(); // an earlier record that does not apply is the one to report
                throw new ReplayException(lsn, new IllegalStateException("no table named '" + table + "'"));
            }
        }
        try {
            for (int i = 0; i < schemas.length; i++) {
                stage.add(schemas[i], lsn, changes.get(i).values());
            }
        } catch (SQLException e) {
            // The appender refused a value; records staged since the last move are not checked then, and this one is
            // named, unless a key moved in without its index repeats: that record comes before.
            ReplayException refused = new ReplayException(lsn, e);
            abandon(refused);
            throw refused;
        }
        lastSchema = schemas[schemas.length - 1];
        if (firstLsn == 0) {
            firstLsn = lsn;
        }
        lastLsn = lsn;
        return stage.rows() >= moveRows ? move() : 0;
    }

    /**
     * Ends the stretch: {@link #move}s what is staged, then builds the key indexes moves left out; returns the last
     * LSN moved, or 0. A key repeated in such a table stops recovery with the record that repeated it.
     */
    long settle() {
        long moved = move();
        buildIndexes();
        return moved;
    }

    /**
     * Replay stops at a later record with {@code failure}: drops what is staged, and throws instead for a key repeated
     * in rows that moved without their key index, whose record comes first. Anything else that fails here is added
     * to {@code failure}, which stays the one to report.
     */
    void abandon(Throwable failure) {
        firstLsn = 0;
        lastLsn = 0;
        lastSchema = null;
        try {
            stage.discard();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        blameRepeatedKey(failure);
    }

    private void blameRepeatedKey(Throwable failure) {
        try {
            stage.settle();
        } catch (ReplayStage.Rejected e) {
            throw new ReplayException(e.lsn(), e.getCause());
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void buildIndexes() {
        try {
            stage.settle();
        } catch (ReplayStage.Rejected e) {
            throw new ReplayException(e.lsn(), e.getCause());
        } catch (SQLException e) {
            // DuckDB failing the build itself, not a repeated key: name the last record moved without the index
            throw new ReplayException(lastMoved, e);
        }
    }

    /**
     * Moves the stretch into its tables; returns its last LSN, or 0 if nothing was staged. A row a table refuses
     * stops recovery with the first record whose rows do not apply after the records before it, found by the stage
     * (the same record the writer's group path would have stopped at).
     */
    long move() {
        if (isEmpty()) {
            return 0;
        }
        long moved = lastLsn;
        try {
            stage.moveAll();
            lastMoved = moved;
        } catch (ReplayStage.Rejected e) {
            throw new ReplayException(e.lsn(), e.getCause());
        } catch (SQLException e) {
            // Not a refused row but DuckDB failing the move itself: no single record is to blame, name the first,
            // unless a key moved in earlier without its index repeats.
            ReplayException failed = new ReplayException(firstLsn, e);
            blameRepeatedKey(failed);
            throw failed;
        } finally {
            firstLsn = 0;
            lastLsn = 0;
            lastSchema = null;
        }
        return moved;
    }
}
