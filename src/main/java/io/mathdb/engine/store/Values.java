package io.mathdb.engine.store;

import io.mathdb.engine.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.duckdb.DuckDBAppender;

/** Moves canonical column values (see {@link ColumnType#coerce}) into DuckDB appenders and out of result sets. */
public final class Values {
    private Values() {
    }

    /**
     * The type a staging column has for {@code type}. Every integer type but UInt64 is staged as BIGINT so the appender
     * takes the canonical {@code Long}; the set-based INSERT casts to the table's narrower type, and the range was
     * checked when the value was coerced.
     */
    static String stageType(ColumnType type) {
        return switch (type.kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> "BIGINT";
            case UINT64 -> "HUGEINT";
            default -> type.duckType();
        };
    }

    static void append(DuckDBAppender appender, ColumnType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type.kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> appender.append((long) (Long) value);
            case UINT64 -> appender.append((BigInteger) value);
            case FLOAT32 -> appender.append((float) (Float) value);
            case FLOAT64 -> appender.append((double) (Double) value);
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case UTF8 -> appender.append((String) value);
            case DATE -> appender.append((LocalDate) value);
            case DATETIME -> appender.append((LocalDateTime) value);
            case DECIMAL -> appender.append((BigDecimal) value);
            case BINARY -> appender.append((byte[]) value);
            default -> throw new IllegalStateException("no appender for " + type);
        }
    }

    /**
     * Appends to a column of exactly {@code type}, as the appender of a real table demands: DuckDB's appender checks
     * the Java width against the column (an {@code int} for INTEGER and UINTEGER), and unsigned types take the same
     * bits as their signed twin.
     */
    static void appendExact(DuckDBAppender appender, ColumnType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type.kind()) {
            case INT8, UINT8 -> appender.append((byte) (long) (Long) value);
            case INT16, UINT16 -> appender.append((short) (long) (Long) value);
            case INT32, UINT32 -> appender.append((int) (long) (Long) value);
            case INT64 -> appender.append((long) (Long) value);
            case UINT64 -> appender.append(((BigInteger) value).longValue());
            default -> append(appender, type, value);
        }
    }

    /**
     * A key as a statement parameter. A date goes as the text DuckDB parses ({@code 1582-10-10},
     * {@code 0002-03-01 (BC)} for ISO year -1), cast by DuckDB against the key column: the driver's own
     * {@code LocalDate} parameter passes through {@code java.sql.Date} and its Julian calendar, so dates before the
     * 1582 calendar switch would match nothing.
     */
    public static Object parameter(Object key) {
        if (key instanceof LocalDate d) {
            int year = d.getYear();
            return String.format("%04d-%02d-%02d%s", year >= 1 ? year : 1 - year, d.getMonthValue(), d.getDayOfMonth(),
                    year >= 1 ? "" : " (BC)");
        }
        return key;
    }

    /** Reads column {@code index} (1-based) of the current row as the canonical value of {@code type}. */
    public static Object read(ResultSet rs, int index, ColumnType type) throws SQLException {
        Object value = switch (type.kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> rs.getLong(index);
            case UINT64 -> rs.getObject(index, BigInteger.class);
            case FLOAT32 -> rs.getFloat(index);
            case FLOAT64 -> rs.getDouble(index);
            case BOOLEAN -> rs.getBoolean(index);
            case UTF8 -> rs.getString(index);
            // Not getObject(index, LocalDate.class): the driver converts that through java.sql.Date and its Julian
            // calendar, so dates before the 1582 calendar switch and before year 1 came back shifted. Its own value
            // is the proleptic ISO date that was stored.
            case DATE -> (LocalDate) rs.getObject(index);
            case DATETIME -> rs.getObject(index, LocalDateTime.class);
            case DECIMAL -> {
                BigDecimal d = rs.getBigDecimal(index);
                yield d == null ? null : d.setScale(type.scale());
            }
            case BINARY -> rs.getBytes(index);
        };
        return rs.wasNull() ? null : value;
    }
}
