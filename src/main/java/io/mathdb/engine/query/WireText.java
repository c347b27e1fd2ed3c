package io.mathdb.engine.query;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** The one text form of temporal values in every answer format: six fraction digits, always. */
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

    public static String datetime(LocalDateTime t) {
        return DATETIME.format(t);
    }

    public static String time(LocalTime t) {
        return TIME.format(t);
    }
}
