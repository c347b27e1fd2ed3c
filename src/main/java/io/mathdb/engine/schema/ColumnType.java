package io.mathdb.engine.schema;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type: a {@link TypeKind} plus precision and scale for {@code Decimal(p,s)}.
 *
 * <p>{@link #coerce} turns a loosely typed value (as JSON parsing yields it) into the one Java class this type holds in
 * memory, in the WAL and at the DuckDB boundary: {@code Long} for every integer type but {@code UInt64}
 * ({@code BigInteger}), {@code Float}, {@code Double}, {@code Boolean}, {@code String}, {@code LocalDate},
 * {@code LocalDateTime} (microseconds, no zone), {@code BigDecimal} at exactly the declared scale, {@code byte[]}.
 */
public record ColumnType(TypeKind kind, int precision, int scale) {
    private static final Pattern DECIMAL = Pattern.compile("(?i)decimal\\s*\\(\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*\\)");
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** DuckDB's TIMESTAMP holds years -290308 to 294246; outside that a value cannot be stored exactly. */
    private static final int MIN_YEAR = -290308, MAX_YEAR = 294246;

    public static ColumnType of(TypeKind kind) {
        if (kind == TypeKind.DECIMAL) {
            throw new IllegalArgumentException("Decimal needs a precision and scale");
        }
        return new ColumnType(kind, 0, 0);
    }

    public static ColumnType decimal(int precision, int scale) {
        if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
            throw new MathDbException(ErrorCode.INVALID_TYPE,
                    "Decimal(" + precision + "," + scale + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
        }
        return new ColumnType(TypeKind.DECIMAL, precision, scale);
    }

    /** Parses a Polars type name such as {@code Int64}, {@code Utf8}, {@code String} or {@code Decimal(10,2)}. */
    public static ColumnType parse(String name) {
        if (name == null || name.isBlank()) {
            throw new MathDbException(ErrorCode.INVALID_TYPE, "a column type is required");
        }
        String trimmed = name.trim();
        Matcher decimal = DECIMAL.matcher(trimmed);
        if (decimal.matches()) {
            return decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
        }
        TypeKind kind = TypeKind.byName(trimmed);
        if (kind == null || kind == TypeKind.DECIMAL) {
            throw new MathDbException(ErrorCode.INVALID_TYPE, "unknown column type '" + name + "'; expected one of "
                    + "Int8 Int16 Int32 Int64 UInt8 UInt16 UInt32 UInt64 Float32 Float64 Boolean Utf8 String Date "
                    + "Datetime Decimal(p,s) Binary");
        }
        return of(kind);
    }

    /** The Polars name, e.g. {@code Decimal(10,2)}. */
    public String name() {
        return kind == TypeKind.DECIMAL ? "Decimal(" + precision + "," + scale + ")" : kind.polarsName();
    }

    /** The DuckDB type this column is stored as. */
    public String duckType() {
        return kind == TypeKind.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : kind.duckName();
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * Converts {@code value} to this type's Java class, or fails naming {@code column}. Null passes through: whether
     * a column may hold null is the schema's decision, not the type's.
     */
    public Object coerce(Object value, String column) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case INT8 -> integer(value, column, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> integer(value, column, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> integer(value, column, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> integer(value, column, Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT8 -> integer(value, column, 0, 255);
            case UINT16 -> integer(value, column, 0, 65_535);
            case UINT32 -> integer(value, column, 0, 4_294_967_295L);
            case UINT64 -> unsigned64(value, column);
            case FLOAT32 -> float32(value, column);
            case FLOAT64 -> float64(value, column);
            case BOOLEAN -> require(value, Boolean.class, column, "true or false");
            case UTF8 -> text(value, column);
            case DATE -> date(value, column);
            case DATETIME -> datetime(value, column);
            case DECIMAL -> decimal(value, column);
            case BINARY -> binary(value, column);
        };
    }

    private Long integer(Object value, String column, long min, long max) {
        long v;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() <= 63) {
            v = big.longValue();
        } else if (value instanceof BigInteger) {
            throw outOfRange(column, value, "[" + min + ", " + max + "]");
        } else {
            throw mismatch(column, value, "an integer");
        }
        if (v < min || v > max) {
            throw outOfRange(column, value, "[" + min + ", " + max + "]");
        }
        return v;
    }

    private BigInteger unsigned64(Object value, String column) {
        BigInteger big = integral(value, column);
        if (big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
            throw outOfRange(column, value, "[0, " + UINT64_MAX + "]");
        }
        return big;
    }

    private BigInteger integral(Object value, String column) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return big;
        }
        throw mismatch(column, value, "an integer");
    }

    /**
     * The nearest Float32, refused only if that is infinite: Java writes the largest Float32 as {@code 3.4028235E38},
     * a little above its exact value, and that text must come back in.
     */
    private Float float32(Object value, String column) {
        float f = (float) number(value, column);
        if (Float.isInfinite(f)) {
            throw outOfRange(column, value, "the Float32 range");
        }
        return f;
    }

    private Double float64(Object value, String column) {
        double d = number(value, column);
        if (Double.isInfinite(d)) {
            throw outOfRange(column, value, "the Float64 range");
        }
        return d;
    }

    private double number(Object value, String column) {
        if (value instanceof Number n && !(value instanceof Float f && !Float.isFinite(f))
                && !(value instanceof Double d && !Double.isFinite(d))) {
            return n.doubleValue();
        }
        throw mismatch(column, value, "a finite number");
    }

    private LocalDate date(Object value, String column) {
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof String s) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                throw mismatch(column, value, "an ISO-8601 date such as 2024-01-31");
            }
        }
        throw mismatch(column, value, "an ISO-8601 date such as 2024-01-31");
    }

    private LocalDateTime datetime(Object value, String column) {
        LocalDateTime t;
        if (value instanceof LocalDateTime d) {
            t = d;
        } else if (value instanceof String s) {
            t = parseDatetime(s, column);
        } else {
            throw mismatch(column, value, "an ISO-8601 datetime such as 2024-01-31T12:00:00.123456");
        }
        if (t.getNano() % 1000 != 0) {
            throw outOfRange(column, value, "microsecond precision");
        }
        if (t.getYear() < MIN_YEAR || t.getYear() > MAX_YEAR) {
            throw outOfRange(column, value, "years " + MIN_YEAR + " to " + MAX_YEAR);
        }
        return t;
    }

    private static LocalDateTime parseDatetime(String text, String column) {
        // A space for the T, as Python's str(datetime), Polars' and DuckDB's text forms have it (RFC 3339 allows it).
        String s = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException notLocal) {
            try {
                // An instant with an offset is stored as the same instant in UTC: the column has no zone.
                return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            } catch (DateTimeParseException e) {
                throw new MathDbException(ErrorCode.TYPE_MISMATCH, "column '" + column + "': " + quote(text)
                        + " is not an ISO-8601 datetime such as 2024-01-31T12:00:00.123456");
            }
        }
    }

    private BigDecimal decimal(Object value, String column) {
        BigDecimal d;
        if (value instanceof BigDecimal b) {
            d = b;
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            d = new BigDecimal(integral(value, column));
        } else if (value instanceof String s) {
            try {
                d = new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw mismatch(column, value, "a decimal number");
            }
        } else {
            // Binary floating point cannot carry an exact decimal; it must arrive as a JSON number or a string.
            throw mismatch(column, value, "an exact decimal number");
        }
        BigDecimal scaled;
        try {
            scaled = d.setScale(scale);
        } catch (ArithmeticException e) {
            throw outOfRange(column, value, name() + " (at most " + scale + " decimal places)");
        }
        if (scaled.precision() - scaled.scale() > precision - scale) {
            throw outOfRange(column, value, name() + " (at most " + (precision - scale) + " integer digits)");
        }
        return scaled;
    }

    private byte[] binary(Object value, String column) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw mismatch(column, value, "base64 text");
            }
        }
        throw mismatch(column, value, "base64 text");
    }

    /**
     * A string that is valid Unicode: an unpaired surrogate (JSON allows {@code "\ud800"}) has no UTF-8 form, and
     * would be stored as {@code ?} instead of what was sent.
     */
    private String text(Object value, String column) {
        String s = require(value, String.class, column, "a string");
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new MathDbException(ErrorCode.TYPE_MISMATCH, "column '" + column + "' (" + name()
                            + ") expects valid Unicode text, got a string with an unpaired surrogate at index " + i);
                }
            }
        }
        return s;
    }

    private <T> T require(Object value, Class<T> type, String column, String expected) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw mismatch(column, value, expected);
    }

    private MathDbException mismatch(String column, Object value, String expected) {
        return new MathDbException(ErrorCode.TYPE_MISMATCH,
                "column '" + column + "' (" + name() + ") expects " + expected + ", got " + quote(value));
    }

    private MathDbException outOfRange(String column, Object value, String range) {
        return new MathDbException(ErrorCode.OUT_OF_RANGE,
                "column '" + column + "' (" + name() + "): " + quote(value) + " is outside " + range);
    }

    private static String quote(Object value) {
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
