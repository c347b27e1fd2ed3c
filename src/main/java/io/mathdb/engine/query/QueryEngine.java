package io.mathdb.engine.query;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import org.duckdb.DuckDBConnection;

/**
 * The read path: filtered reads of a table, read-only SQL and exports, each on a DuckDB connection of its own inside
 * one read transaction, so every answer is one committed state however busy the writer is.
 *
 * <p>A query runs to completion inside DuckDB before the first row is handed to the {@link RowSink} (DuckDB's JDBC
 * driver materialises results natively, outside the JVM heap); rows then travel to the sink one at a time. That is
 * also what makes the time limit reliable: {@code setQueryTimeout} covers all of DuckDB's work. (With the driver's
 * streaming results the limit would stop covering the fetches, measured, so they are not used.)
 */
public final class QueryEngine {

    /** A new DuckDB connection that sees committed data only. */
    public interface Connections {
        DuckDBConnection connect() throws SQLException;
    }

    /**
     * Opens a read transaction on {@code c} at a moment DuckDB holds exactly the log up to an LSN, and returns it
     * ({@code Writer#pinned}).
     */
    public interface Pinning {
        long pin(DuckDBConnection c, String table);
    }

    /** A file answer (Parquet, CSV), handed over complete; it is deleted once the consumer returns. */
    public interface FileSink {
        void accept(Path file, Long lsn) throws IOException;
    }

    /** How DuckDB writes a file answer: the file's extension and the options of {@code COPY ... TO}. */
    private record FileFormat(String extension, String options) {
    }

    private static final FileFormat PARQUET = new FileFormat("parquet", "FORMAT parquet, COMPRESSION zstd");
    /**
     * CRLF as RFC 4180 (and the row-by-row writer) has it; no comment character, or DuckDB would quote every field
     * holding a {@code #}. NULL is DuckDB's default empty field, and an empty string, equal to it, comes out quoted.
     */
    private static final FileFormat CSV = new FileFormat("csv",
            "FORMAT csv, HEADER true, NEW_LINE '\\r\\n', COMMENT ''");

    private final Connections connections;
    private final Catalog catalog;
    private final Pinning pinning;
    private final Path tempDir;

    public QueryEngine(Connections connections, Catalog catalog, Pinning pinning, Path tempDir) {
        this.connections = connections;
        this.catalog = catalog;
        this.pinning = pinning;
        this.tempDir = tempDir;
    }

    /**
     * Reads rows of a table (paged, filtered, aggregated); with {@code count}, the header carries the number of
     * rows the query matches without paging, counted in the same transaction as the rows.
     */
    public void rows(RowQuery query, boolean count, Duration timeout, RowSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            begin(c);
            Long total = null;
            if (count) {
                RowSql countSql = RowSql.count(query);
                try (PreparedStatement ps = prepare(c, countSql, timeout); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            RowSql select = RowSql.select(query, true);
            try (PreparedStatement ps = prepare(c, select, timeout); ResultSet rs = ps.executeQuery()) {
                stream(rs, new RowSink.Header(ResultColumn.of(rs.getMetaData()), total, null), Long.MAX_VALUE, sink);
            }
        } catch (SQLException e) {
            throw translate(e, timeout);
        }
    }

    /** A whole table (filters, select and order allowed) as rows, consistent at the LSN in the header. */
    public void export(RowQuery query, RowSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            long lsn = pinning.pin(c, query.table().name());
            RowSql select = RowSql.select(query, false);
            try (PreparedStatement ps = prepare(c, select, null); ResultSet rs = ps.executeQuery()) {
                stream(rs, new RowSink.Header(ResultColumn.of(rs.getMetaData()), null, lsn), Long.MAX_VALUE, sink);
            }
        } catch (SQLException e) {
            throw translate(e, null);
        }
    }

    /** A whole table as one Parquet file written by DuckDB, consistent at the LSN handed to the sink. */
    public void exportParquet(RowQuery query, FileSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            long lsn = pinning.pin(c, query.table().name());
            toFile(c, RowSql.select(query, false), PARQUET, null, lsn, sink);
        } catch (SQLException e) {
            throw translate(e, null);
        }
    }

    /**
     * A whole table as one CSV file written by DuckDB (RFC 4180, a header line, CRLF, NULL an empty field, an empty
     * string {@code ""}), every value in its wire text ({@link CsvText}), consistent at the LSN handed to the sink.
     */
    public void exportCsv(RowQuery query, FileSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            long lsn = pinning.pin(c, query.table().name());
            toFile(c, wireText(c, RowSql.select(query, false)), CSV, null, lsn, sink);
        } catch (SQLException e) {
            throw translate(e, null);
        }
    }

    /**
     * Wraps {@code select} so each column comes out as its wire text. The expressions depend on the result's types,
     * which preparing (without running) gives; the inner columns are renamed by position so no name can clash.
     */
    private static RowSql wireText(DuckDBConnection c, RowSql select) throws SQLException {
        StringJoiner items = new StringJoiner(", ");
        StringJoiner positions = new StringJoiner(", ");
        try (PreparedStatement ps = c.prepareStatement(select.sql())) {
            ResultSetMetaData meta = ps.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                positions.add("c" + i);
                items.add(CsvText.of("c" + i, meta.getColumnTypeName(i)) + " AS "
                        + Names.quote(meta.getColumnLabel(i)));
            }
        }
        return new RowSql("SELECT " + items + " FROM (" + select.sql() + ") AS q(" + positions + ")",
                select.params());
    }

    /**
     * Runs read-only SQL ({@link ReadOnlySql} decides what may run) with positional parameters. At most
     * {@code maxRows} rows reach the sink; {@code end(true)} says more were left out.
     */
    public void sql(String sql, List<?> params, Duration timeout, long maxRows, RowSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            RowSql checked = checked(c, sql, params);
            begin(c);
            try (PreparedStatement ps = prepare(c, checked, timeout); ResultSet rs = ps.executeQuery()) {
                stream(rs, new RowSink.Header(ResultColumn.of(rs.getMetaData()), null, null), maxRows, sink);
            }
        } catch (SQLException e) {
            throw translate(e, timeout);
        }
    }

    /** As {@link #sql}, the whole answer as a Parquet file. */
    public void sqlParquet(String sql, List<?> params, Duration timeout, FileSink sink) {
        try (DuckDBConnection c = connections.connect()) {
            RowSql checked = checked(c, sql, params);
            begin(c);
            toFile(c, checked, PARQUET, timeout, null, sink);
        } catch (SQLException e) {
            throw translate(e, timeout);
        }
    }

    private RowSql checked(DuckDBConnection c, String sql, List<?> params) {
        String wrapped = ReadOnlySql.check(c, sql, name -> catalog.find(name) != null);
        return new RowSql(wrapped, params == null ? List.of() : List.copyOf(params));
    }

    /**
     * The file goes into a directory of its own under {@code tmp/} (one of the two directories DuckDB may write, see
     * {@link Lockdown}); both are removed whatever happens, a client that hangs up included.
     */
    private void toFile(DuckDBConnection c, RowSql select, FileFormat format, Duration timeout, Long lsn,
                        FileSink sink) throws SQLException {
        Path dir = null;
        try {
            Files.createDirectories(tempDir);
            dir = Files.createTempDirectory(tempDir, "answer-");
            Path file = dir.resolve("answer." + format.extension());
            String target = file.toAbsolutePath().toString().replace("'", "''");
            RowSql copy = new RowSql("COPY (" + select.sql() + ") TO '" + target + "' (" + format.options() + ")",
                    select.params());
            try (PreparedStatement ps = prepare(c, copy, timeout)) {
                ps.execute();
            }
            sink.accept(file, lsn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void begin(DuckDBConnection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN TRANSACTION READ ONLY");
        }
    }

    /**
     * While DuckDB holds exactly one LSN ({@code Writer#pinned}): begins a read transaction and fixes its view by
     * touching the table (BEGIN alone is lazy in DuckDB: the snapshot is taken at the first table access, measured).
     */
    public static void beginPinned(DuckDBConnection c, String table) {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN TRANSACTION READ ONLY");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM main." + Names.quote(table)
                    + " LIMIT 1)")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot begin a consistent read: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(DuckDBConnection c, RowSql sql, Duration timeout) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.sql());
        try {
            if (timeout != null) {
                ps.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
            }
            List<Object> params = sql.params();
            for (int i = 0; i < params.size(); i++) {
                bind(ps, i + 1, params.get(i));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setObject(index, null);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            ps.setLong(index, ((Number) value).longValue());
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof Float f) {
            ps.setFloat(index, f);
        } else if (value instanceof BigDecimal d) {
            ps.setBigDecimal(index, d);
        } else if (value instanceof BigInteger i) {
            ps.setObject(index, i);
        } else if (value instanceof Boolean b) {
            ps.setBoolean(index, b);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "a query parameter must be a number, string, "
                    + "boolean or null, got " + value.getClass().getSimpleName());
        }
    }

    private static void stream(ResultSet rs, RowSink.Header header, long maxRows, RowSink sink) throws SQLException {
        List<ResultColumn> columns = header.columns();
        try {
            sink.start(header);
            long n = 0;
            boolean truncated = false;
            while (rs.next()) {
                if (n == maxRows) {
                    truncated = true;
                    break;
                }
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = columns.get(i).read(rs, i + 1);
                }
                sink.row(row);
                n++;
            }
            sink.end(truncated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * DuckDB reports every error as a plain SQLException whose message starts with its kind (DUCKDB-NOTES.md);
     * errors of the query itself are the caller's, anything else is ours.
     */
    private static MathDbException translate(SQLException e, Duration timeout) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SQLTimeoutException || message.startsWith("INTERRUPT Error")) {
            return new MathDbException(ErrorCode.QUERY_TIMEOUT, "the query ran longer than its time limit of "
                    + (timeout == null ? "?" : timeout.toMillis() / 1000.0 + " s") + " (mathdb.query.timeout) and "
                    + "was stopped; narrow it, or export the data instead", e);
        }
        String first = message.lines().findFirst().orElse(message);
        if (message.startsWith("Parser Error") || message.startsWith("Binder Error")
                || message.startsWith("Catalog Error") || message.startsWith("Conversion Error")
                || message.startsWith("Invalid Input Error") || message.startsWith("Out of Range Error")
                || message.startsWith("Not implemented Error")) {
            return new MathDbException(ErrorCode.INVALID_SQL, "the query failed: " + first, e);
        }
        if (message.startsWith("TransactionContext Error") || message.startsWith("Permission Error")) {
            return new MathDbException(ErrorCode.QUERY_REFUSED, "the query was refused: " + first, e);
        }
        return new MathDbException(ErrorCode.INTERNAL, "read failed: " + first, e);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left for the clean-up at the next start (Database clears tmp/)
        }
    }
}
