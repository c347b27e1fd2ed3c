package io.mathdb.engine.query;

import java.util.Locale;

/**
 * SQL that renders one result column as its wire text ({@link WireText#of}), so DuckDB's own CSV
 * writer produces the same fields as the row-by-row writer. The expression is chosen by the DuckDB type of the
 * <em>result</em> column (an aggregate's type is not its column's): integers, Boolean, Utf8 and Decimal already print
 * as the wire form and pass unchanged; dates, datetimes, times, binaries and floats are rewritten.
 */
final class CsvText {
    private CsvText() {
    }

    /** The expression for {@code column} (already quoted) of {@code duckType}, a type a table export yields. */
    static String of(String column, String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) {
            return column; // DuckDB prints exactly the declared scale in plain notation, as toPlainString does
        }
        return switch (t) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
                    "HUGEINT", "UHUGEINT", "BOOLEAN", "VARCHAR" -> column;
            case "DATE" -> date(column);
            case "TIMESTAMP" -> datetime(column);
            case "BLOB" -> "base64(" + column + ")";
            case "FLOAT", "DOUBLE" -> javaFloat(column);
            // A table export yields table types, counts, sums (HUGEINT, DECIMAL) and averages (DOUBLE) only.
            default -> throw new IllegalArgumentException("no CSV text for DuckDB type " + duckType);
        };
    }

    /**
     * ISO dates as {@code LocalDate.toString} writes them: four-digit years zero-padded, a {@code +} before years
     * past 9999 and a {@code -} before years before 0 (DuckDB's {@code year()} counts 1 BC as 0, as Java does).
     */
    private static String date(String x) {
        return "CASE WHEN year(" + x + ") BETWEEN 0 AND 9999 THEN strftime(" + x + ", '%Y-%m-%d') "
                + "WHEN year(" + x + ") > 9999 THEN '+' || strftime(" + x + ", '%Y-%m-%d') "
                + "ELSE '-' || lpad(CAST(-year(" + x + ") AS VARCHAR), 4, '0') || strftime(" + x + ", '-%m-%d') END";
    }

    /** {@code 2024-01-31T12:00:00.000000}: the date as above, then always six fraction digits. */
    private static String datetime(String x) {
        return "(" + date(x) + ") || strftime(" + x + ", 'T%H:%M:%S.%f')";
    }

    /**
     * Floats in Java's layout ({@code Double.toString}/{@code Float.toString}): plain with at least one fraction digit
     * for magnitudes in [10^-3, 10^7), where DuckDB's own text already agrees; otherwise {@code d.dddE-n} built from
     * DuckDB's shortest digits ({@code 1e+20} becomes {@code 1.0E20}); {@code NaN}, {@code Infinity}, {@code -0.0}.
     * The digits are DuckDB's shortest round-trip digits. Java 17 occasionally prints one or two more (JDK-4511638,
     * fixed in Java 19: {@code 4.9E-324} for what is here {@code 5.0E-324}); both read back as the same number.
     */
    private static String javaFloat(String x) {
        return "CASE WHEN isnan(" + x + ") THEN 'NaN' "
                + "WHEN isinf(" + x + ") THEN CASE WHEN " + x + " > 0 THEN 'Infinity' ELSE '-Infinity' END "
                + "WHEN abs(" + x + ") >= 0.001 AND abs(" + x + ") < 10000000 THEN CAST(" + x + " AS VARCHAR) "
                + "ELSE " + scientific(x) + " END";
    }

    /**
     * Splits DuckDB's text ({@code -1.5e-05}, {@code 0.0001}, {@code 1e+20}) into sign, significant digits {@code d}
     * and exponent {@code p} with value {@code 0.d × 10^p}, then lays them out as Java does. Lambdas give the parts
     * names without a subquery; the regular expression's {@code 0*} strip leading and trailing zeros.
     */
    private static String scientific(String x) {
        String parts = "regexp_extract(CAST(" + x + " AS VARCHAR), "
                + "'^(-?)0*([0-9]*)\\.?([0-9]*?)0*(?:e([-+][0-9]+))?$', ['neg', 'i', 'f', 'e'])";
        String digits = "ltrim(r.i || r.f, '0')";
        String exponent = "CAST(length(r.i) - (length(r.i || r.f) - length(" + digits + ")) "
                + "+ coalesce(TRY_CAST(nullif(r.e, '') AS INTEGER), 0) AS INTEGER)";
        String layout = "CASE WHEN v.d = '' THEN v.neg || '0.0' "
                + "WHEN v.p BETWEEN -2 AND 0 THEN v.neg || '0.' || repeat('0', -v.p) || v.d "
                + "WHEN v.p BETWEEN 1 AND 7 THEN v.neg || rpad(left(v.d, v.p), v.p, '0') || '.' "
                + "|| CASE WHEN length(v.d) > v.p THEN substr(v.d, v.p + 1) ELSE '0' END "
                + "ELSE v.neg || left(v.d, 1) || '.' || CASE WHEN length(v.d) > 1 THEN substr(v.d, 2) ELSE '0' END "
                + "|| 'E' || (v.p - 1) END";
        return "list_transform([" + parts + "], lambda r: list_transform([{'neg': r.neg, 'd': rtrim(" + digits
                + ", '0'), 'p': " + exponent + "}], lambda v: " + layout + ")[1])[1]";
    }
}
