package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.ImportFormat;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads a CSV or Parquet file with DuckDB's readers into a raw temp table, matches its columns to the table's by
 * name, checks every value converts exactly to its column's type (naming line, column and value of the first that
 * does not), and fills the row stage. CSV is read as text and converted here, because DuckDB's casts round
 * ({@code '1.7'} to INTEGER is 2, {@code '1.239'} to DECIMAL(10,2) is 1.24) where MathDB refuses.
 */
final class RawStage {
    private static final String RAW = "temp.main.\"__import_raw\"";

    private final DuckStore store;
    private final TableSchema schema;
    private final Path file;
    private final ImportFormat format;

    RawStage(DuckStore store, TableSchema schema, Path file, ImportFormat format) {
        this.store = store;
        this.schema = schema;
        this.file = file;
        this.format = format;
    }

    /**
     * Reads the file into the raw table. Call outside the import's transaction: rows of a table created inside
     * one carry transaction-local row ids, and the row id is how a refusal names the file's line.
     */
    void read() throws SQLException {
        if (format == ImportFormat.CSV && isEmpty(file)) {
            // DuckDB would read an empty file as one column named column0, and the refusal would name that
            throw new MathDbException(ErrorCode.INVALID_REQUEST,
                    "the CSV body is empty: it needs a header line naming the columns");
        }
        String path = "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
        String reader = format == ImportFormat.CSV
                ? "read_csv(" + path + ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
                : "read_parquet(" + path + ")";
        try {
            store.execute("CREATE OR REPLACE TEMP TABLE \"__import_raw\" AS SELECT * FROM " + reader);
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "the " + format + " body cannot be read: "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the import's spool file " + file, e);
        }
    }

    /** Checks the raw rows and moves them into the row stage, inside the import's transaction. */
    void stage() throws SQLException {
        List<String[]> fileColumns = describe();
        StringJoiner targets = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        Set<Integer> seen = new HashSet<>();
        for (String[] fc : fileColumns) {
            int i = schema.indexOf(fc[0]);
            if (i < 0) {
                throw new MathDbException(ErrorCode.UNKNOWN_COLUMN, format + " column '" + fc[0]
                        + "' is not a column of table '" + schema.name() + "'");
            }
            if (!seen.add(i)) {
                throw new MathDbException(ErrorCode.INVALID_REQUEST, format + " column '" + fc[0] + "' is given twice");
            }
            Column column = schema.columns().get(i);
            String source = RAW + "." + quoteAny(fc[0]);
            check(column, source, fc[1]);
            targets.add(Names.quote(column.name()));
            values.add(convert(column.type(), source, fc[1]));
        }
        for (int i = 0; i < schema.columns().size(); i++) {
            Column c = schema.columns().get(i);
            if (!seen.contains(i) && !c.nullable()) {
                throw new MathDbException(c.primaryKey() ? ErrorCode.NULL_KEY : ErrorCode.MISSING_COLUMN,
                        "the " + format + " body has no column '" + c.name() + "', which table '" + schema.name()
                                + "' requires");
            }
        }
        // in the raw table's order, the file's (a plain scan of one table keeps it): the stage's rowid is the line
        store.execute("INSERT INTO " + Sql.rowStage(schema) + " (" + targets + ") SELECT " + values + " FROM " + RAW);
    }

    /** Drops the raw table, after the import's transaction ended either way. */
    void drop() throws SQLException {
        store.execute("DROP TABLE IF EXISTS " + RAW);
    }

    /** Fails on the first value of the column that is not of its type, in the file's order. */
    private void check(Column column, String source, String fileType) throws SQLException {
        ColumnType type = column.type();
        String text = isText(fileType) ? source : null;
        String syntax = text == null ? null : syntax(type);
        if (syntax != null) {
            firstBad(column, source, "NOT regexp_full_match(trim(" + text + "), '" + syntax + "')", ErrorCode.TYPE_MISMATCH);
        }
        if (text != null && type.kind() == io.mathdb.engine.schema.TypeKind.DECIMAL) {
            firstBad(column, source, "NOT regexp_full_match(trim(" + text + "), '" + decimalScale(type.scale()) + "')",
                    ErrorCode.OUT_OF_RANGE);
        }
        firstBad(column, source, convert(type, source, fileType) + " IS NULL",
                syntax != null ? ErrorCode.OUT_OF_RANGE : ErrorCode.TYPE_MISMATCH);
    }

    private void firstBad(Column column, String source, String condition, ErrorCode code) throws SQLException {
        String sql = "SELECT rowid, CAST(" + source + " AS VARCHAR) FROM " + RAW + " WHERE " + source
                + " IS NOT NULL AND (" + condition + ") ORDER BY rowid LIMIT 1";
        try (Statement st = store.writerConnection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next()) {
                long row = rs.getLong(1) + 1;
                String where = format == ImportFormat.CSV ? "line " + (row + 1) : "row " + row;
                String value = rs.getString(2);
                throw new MathDbException(code, format + " " + where + ": column '" + column.name() + "' ("
                        + column.type().name() + ") cannot hold '" + (value.length() > 60 ? value.substring(0, 57)
                        + "..." : value) + "'" + (code == ErrorCode.OUT_OF_RANGE ? ": out of range or too precise" : ""));
            }
        }
    }

    /** The SQL that turns the file's value into the column's type exactly, or null. */
    private static String convert(ColumnType type, String source, String fileType) {
        boolean text = isText(fileType);
        return switch (type.kind()) {
            case UTF8 -> text ? source : "TRY_CAST(" + source + " AS VARCHAR)";
            case BINARY -> text ? "TRY(from_base64(" + source + "))" : "TRY_CAST(" + source + " AS BLOB)";
            case FLOAT32, FLOAT64 -> "CASE WHEN isfinite(TRY_CAST(" + source + " AS " + type.duckType() + ")) THEN TRY_CAST("
                    + source + " AS " + type.duckType() + ") END";
            default -> "TRY_CAST(" + source + " AS " + type.duckType() + ")";
        };
    }

    /** What a text value must look like before it is cast, where a cast would round or be lenient. */
    private static String syntax(ColumnType type) {
        return switch (type.kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> "[+-]?[0-9]+";
            case DECIMAL -> "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)";
            case BOOLEAN -> "(?i)true|false";
            default -> null;
        };
    }

    private static String decimalScale(int scale) {
        return scale == 0 ? "[+-]?[0-9]+\\.?" : "[+-]?([0-9]+(\\.[0-9]{0," + scale + "})?|\\.[0-9]{1," + scale + "})";
    }

    private static boolean isText(String fileType) {
        return fileType.equals("VARCHAR");
    }

    /** The file's columns: name and DuckDB type. */
    private List<String[]> describe() throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Statement st = store.writerConnection().createStatement();
             ResultSet rs = st.executeQuery("DESCRIBE " + RAW)) {
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return columns;
    }

    /** A file's column name (any text) as a quoted identifier. */
    private static String quoteAny(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }
}
