package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.TableSchema;
import java.sql.SQLException;

/**
 * Creates the empty, keyed DuckDB table for a schema before {@link SnapshotLoader} fills it. The engine owns table
 * creation (key, constraints, its own catalog), so the loader asks for it rather than writing DDL of its own.
 */
@FunctionalInterface
public interface TableCreator {
    /** Creates the empty table; it may leave out what is cheaper to build once the rows are in (its key index). */
    void create(TableSchema schema) throws SQLException;

    /** The table holds the snapshot's rows: builds what {@link #create} left out. */
    default void loaded(TableSchema schema) throws SQLException {
    }
}
