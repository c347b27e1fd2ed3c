package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Loads a verified snapshot into an empty database, one table at a time, straight from its Parquet files. */
public final class SnapshotLoader {
    private SnapshotLoader() {
    }

    /**
     * Creates each table through {@code creator}, then fills it from its Parquet files on {@code conn}, in one
     * statement. On failure the database holds a partial load and must be discarded; a table whose files yield a
     * different row count than the manifest recorded is reported as corruption.
     */
    public static void load(VerifiedSnapshot snapshot, Connection conn, TableCreator creator) {
        for (SnapshotTable t : snapshot.tables()) {
            TableSchema schema = t.schema();
            String columns = schema.columns().stream().map(c -> Names.quote(c.name()))
                    .collect(Collectors.joining(", "));
            // Columns by name on both sides: the creator's column order need not match the file's.
            String sql = "INSERT INTO main." + Names.quote(schema.name()) + " (" + columns + ") SELECT " + columns
                    + " FROM read_parquet([" + Stream.concat(Stream.of(t.file()), t.appended().stream())
                    .map(SnapshotWriter::sqlString).collect(Collectors.joining(", ")) + "])";
            long rows;
            try {
                creator.create(schema);
                try (Statement s = conn.createStatement()) {
                    rows = s.executeLargeUpdate(sql);
                }
            } catch (SQLException e) {
                throw new SnapshotException(t.file(), "cannot load table '" + schema.name() + "': " + e.getMessage(),
                        e);
            }
            if (rows != t.rows()) {
                throw new CorruptSnapshotException(t.file(), "table '" + schema.name() + "' loaded " + rows
                        + " rows; the manifest says " + t.rows());
            }
            try {
                creator.loaded(schema);
            } catch (SQLException e) {
                throw new SnapshotException(t.file(), "cannot index table '" + schema.name() + "': " + e.getMessage(),
                        e);
            }
        }
    }
}
