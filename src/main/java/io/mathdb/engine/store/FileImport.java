package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.ImportFormat;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.WriteResult;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.MutationCodec;
import io.mathdb.engine.write.WriteLog;
import io.mathdb.engine.write.Writer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A bulk import, run by the writer thread in one transaction: the file is read into the table's staging table
 * (CSV and Parquet by DuckDB's own readers, NDJSON by {@link NdjsonRows}), checked, applied with one set-based
 * INSERT, and logged as a Parquet file in chunk records followed by an end record, all before commit. Nothing of a file that fails a
 * check is applied, and only the staging table holds the rows, so an import of millions of rows never sits in the
 * Java heap.
 */
public final class FileImport implements Writer.ExclusiveWrite {
    /** Bytes of the logged Parquet file per chunk record. */
    static final int CHUNK_BYTES = 1 << 20;

    private final DuckStore store;
    private final TableSchema schema;
    private final Path file;
    private final ImportFormat format;
    private final OnConflict onConflict;

    public FileImport(DuckStore store, TableSchema schema, Path file, ImportFormat format, OnConflict onConflict) {
        this.store = store;
        this.schema = schema;
        this.file = file;
        this.format = format;
        this.onConflict = onConflict;
    }

    @Override
    public String table() {
        return schema.name();
    }

    @Override
    public WriteResult run(WriteLog log) throws SQLException {
        RawStage raw = format == ImportFormat.NDJSON ? null : new RawStage(store, schema, file, format);
        try {
            if (raw != null) {
                raw.read();
            }
            return apply(raw, log);
        } finally {
            if (raw != null) {
                raw.drop();
            }
        }
    }

    private WriteResult apply(RawStage raw, WriteLog log) throws SQLException {
        store.begin();
        try {
            if (raw == null) {
                NdjsonRows.stage(store.writerConnection(), schema, file);
            } else {
                raw.stage();
            }
            settle();
            long rows = count("SELECT count(*) FROM " + Sql.rowStage(schema));
            store.insertFromStage(schema, onConflict == OnConflict.UPDATE);
            long lsn = rows == 0 ? log.lastLsn() : logRows(log, rows);
            store.execute("DELETE FROM " + Sql.rowStage(schema));
            store.commit();
            return new WriteResult(lsn, rows);
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            throw e;
        }
    }

    /**
     * Checks keys and required columns, then leaves in the stage exactly the rows to write: all of them (a key that
     * exists or repeats fails the import), the last per key (update), or the first per key of those that do not
     * exist yet (ignore).
     */
    private void settle() throws SQLException {
        String stage = Sql.rowStage(schema);
        String key = Names.quote(schema.key().name());
        for (Column c : schema.columns()) {
            if (!c.nullable()) {
                long nulls = count("SELECT count(*) FROM " + stage + " WHERE " + Names.quote(c.name()) + " IS NULL");
                if (nulls > 0) {
                    throw new MathDbException(c.primaryKey() ? ErrorCode.NULL_KEY : ErrorCode.NULL_VALUE,
                            "import into '" + schema.name() + "': " + nulls + " rows have no value for "
                                    + (c.primaryKey() ? "key" : "non-nullable column") + " '" + c.name() + "'");
                }
            }
        }
        switch (onConflict) {
            case ERROR -> {
                Object repeated = first("SELECT " + key + " FROM " + stage + " GROUP BY " + key
                        + " HAVING count(*) > 1 LIMIT 1");
                if (repeated != null) {
                    throw duplicate(repeated, "appears more than once in the import");
                }
                Object existing = first(Sql.existingFromStage(schema) + " LIMIT 1");
                if (existing != null) {
                    throw duplicate(existing, "already exists");
                }
            }
            case UPDATE -> keepOnePerKey("DESC");
            case IGNORE -> {
                keepOnePerKey("ASC");
                store.execute("DELETE FROM " + stage + " WHERE " + key + " IN (SELECT " + key + " FROM "
                        + Sql.table(schema) + ")");
            }
        }
    }

    /** Keeps the row per key that comes last ({@code DESC}) or first in the file; rowid is the file's order. */
    private void keepOnePerKey(String order) throws SQLException {
        String stage = Sql.rowStage(schema);
        String key = Names.quote(schema.key().name());
        store.execute("DELETE FROM " + stage + " WHERE rowid NOT IN (SELECT rowid FROM " + stage
                + " QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY rowid " + order + ") = 1)");
    }

    /**
     * Logs the staged rows as a Parquet file DuckDB writes from the stage (far faster than reading the rows back
     * through JDBC), cut into chunk records, then an end record; returns the end record's LSN. Replay loads the
     * file into the table with one INSERT. The rows go in the stage's order, which is the file's: DuckDB keeps the
     * insertion order of a plain scan of one table (preserve_insertion_order, on by default), and sorting a million
     * rows by rowid cost ~100 ms for nothing.
     */
    private long logRows(WriteLog log, long rows) throws SQLException {
        Path parquet = file.resolveSibling(file.getFileName() + ".log.parquet");
        try {
            store.execute("COPY (SELECT " + Sql.columnList(schema) + " FROM " + Sql.rowStage(schema)
                    + ") TO '" + parquet.toAbsolutePath().toString().replace("'", "''")
                    + "' (FORMAT parquet, COMPRESSION zstd)");
            try (InputStream in = Files.newInputStream(parquet)) {
                for (byte[] chunk; (chunk = in.readNBytes(CHUNK_BYTES)).length > 0; ) {
                    Mutation m = new Mutation.ImportChunk(chunk);
                    log.append(m.walType(), List.of(MutationCodec.encode(m)));
                }
            }
            Mutation end = new Mutation.ImportEnd(schema.name(), rows, onConflict == OnConflict.UPDATE);
            return log.append(end.walType(), List.of(MutationCodec.encode(end)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the import's log file " + parquet, e);
        } finally {
            try {
                Files.deleteIfExists(parquet);
            } catch (IOException ignored) {
                // tmp/ is cleared at the next start
            }
        }
    }

    private MathDbException duplicate(Object key, String what) {
        return new MathDbException(ErrorCode.DUPLICATE_KEY, "import into '" + schema.name() + "': key "
                + (key instanceof String s ? "'" + s + "'" : key) + " " + what + "; nothing was imported");
    }

    private long count(String sql) throws SQLException {
        try (Statement st = store.writerConnection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Object first(String sql) throws SQLException {
        try (Statement st = store.writerConnection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? Values.read(rs, 1, schema.key().type()) : null;
        }
    }
}
