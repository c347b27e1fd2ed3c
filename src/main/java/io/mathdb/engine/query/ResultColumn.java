package io.mathdb.engine.query;

import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.store.Values;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column of an answer, under MathDB's (Polars') type name, and how its values are read. Columns of a MathDB type
 * give that type's canonical value (see {@link ColumnType#coerce}). Results of SQL can have types no table holds:
 * {@code Int128}/{@code UInt128} (a sum of integers) as exact BigInteger, {@code Time} as text, {@code Null}, a zoned
 * timestamp as a UTC {@code Datetime}; anything else (lists, structs, intervals, UUIDs...) comes back as its text,
 * typed {@code Utf8}.
 */
public record ResultColumn(String name, String type, ColumnType mathType, Reader reader) {
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

    /** Reads column {@code index} (1-based) of the current row. */
    public interface Reader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    public Object read(ResultSet rs, int index) throws SQLException {
        return reader.read(rs, index);
    }

    /** The columns of a result set, in order. */
    public static List<ResultColumn> of(ResultSetMetaData meta) throws SQLException {
        List<ResultColumn> columns = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(of(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
        }
        return columns;
    }

    static ResultColumn of(String name, String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(t);
        if (decimal.matches()) {
            return math(name, ColumnType.decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2))));
        }
        return switch (t) {
            case "TINYINT" -> math(name, "Int8");
            case "SMALLINT" -> math(name, "Int16");
            case "INTEGER" -> math(name, "Int32");
            case "BIGINT" -> math(name, "Int64");
            case "UTINYINT" -> math(name, "UInt8");
            case "USMALLINT" -> math(name, "UInt16");
            case "UINTEGER" -> math(name, "UInt32");
            case "UBIGINT" -> math(name, "UInt64");
            case "FLOAT" -> math(name, "Float32");
            case "DOUBLE" -> math(name, "Float64");
            case "BOOLEAN" -> math(name, "Boolean");
            case "VARCHAR" -> math(name, "Utf8");
            case "DATE" -> math(name, "Date");
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> math(name, "Datetime");
            case "BLOB" -> math(name, "Binary");
            case "HUGEINT" -> other(name, "Int128", (rs, i) -> nullable(rs, rs.getObject(i, BigInteger.class)));
            case "UHUGEINT" -> other(name, "UInt128", (rs, i) -> nullable(rs, rs.getObject(i, BigInteger.class)));
            case "TIME" -> other(name, "Time", (rs, i) -> {
                LocalTime time = rs.getObject(i, LocalTime.class);
                return time == null ? null : WireText.time(time);
            });
            case "TIMESTAMP WITH TIME ZONE" -> other(name, "Datetime", (rs, i) -> {
                OffsetDateTime t0 = rs.getObject(i, OffsetDateTime.class);
                return t0 == null ? null : t0.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            });
            case "\"NULL\"", "NULL" -> other(name, "Null", (rs, i) -> null);
            default -> other(name, "Utf8", (rs, i) -> rs.getString(i));
        };
    }

    private static ResultColumn math(String name, String typeName) {
        return math(name, ColumnType.parse(typeName));
    }

    private static ResultColumn math(String name, ColumnType type) {
        return new ResultColumn(name, type.name(), type, (rs, i) -> Values.read(rs, i, type));
    }

    private static ResultColumn other(String name, String typeName, Reader reader) {
        return new ResultColumn(name, typeName, null, reader);
    }

    private static Object nullable(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }
}
