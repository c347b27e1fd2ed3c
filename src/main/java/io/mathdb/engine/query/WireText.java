package io.mathdb.engine.query;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;

/**
 * The one text form of a value wherever it travels as text: CSV fields, JSON strings, and filter values bound as
 * text for DuckDB to cast. Datetimes always carry six fraction digits, decimals are plain (never {@code 1E+3}),
 * binary is base64.
 */
public final class WireText {
    /** {@code 2024-01-31T12:00:00.000000}: clients can compare datetimes as text. */
    public static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true)
            .toFormatter();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true)
            .toFormatter();

    private WireText() {
    }

    /** The text form of a canonical engine value; null for SQL NULL. */
    public static String of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof LocalDateTime t) {
            return datetime(t);
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return v.toString();
    }

    public static String datetime(LocalDateTime t) {
        return DATETIME.format(t);
    }

    public static String time(LocalTime t) {
        return TIME.format(t);
    }
}
