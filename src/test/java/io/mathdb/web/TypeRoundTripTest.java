package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Every column type through JSON and back, at its bounds: a value that fits comes back in its one wire form, a
 * value that does not is a 400 with the engine's code, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeRoundTripTest extends HttpTestSupport {
    private int nextKey;

    @BeforeAll
    void table() {
        createTable("typed", "id Int64 key, i8 Int8, i16 Int16, i32 Int32, i64 Int64, u8 UInt8, u16 UInt16, "
                + "u32 UInt32, u64 UInt64, f32 Float32, f64 Float64, b Boolean, s Utf8, d Date, t Datetime, "
                + "dec Decimal(10,2), bin Binary, must Utf8 notnull");
    }

    /** Writes {@code column: json} into a new row and returns the stored value as the service shows it. */
    private JsonNode roundTrip(String column, String json) {
        int key = ++nextKey;
        Reply insert = post("/tables/typed/rows", "{\"id\":" + key + ",\"must\":\"x\",\"" + column + "\":" + json + "}");
        assertThat(insert.status()).as(insert.body()).isEqualTo(201);
        return get("/tables/typed/rows/" + key).json().get(column);
    }

    /** Returns the problem code of writing {@code column: json}, after checking nothing was written. */
    private String refused(String column, String json) {
        long before = get("/tables/typed/count").json().get("count").longValue();
        String must = column.equals("must") ? "" : "\"must\":\"x\",";
        Reply insert = post("/tables/typed/rows", "{\"id\":999999," + must + "\"" + column + "\":" + json + "}");
        assertThat(insert.status()).as(insert.body()).isEqualTo(400);
        assertThat(insert.json().get("detail").stringValue()).contains(column);
        assertThat(get("/tables/typed/count").json().get("count").longValue()).isEqualTo(before);
        return insert.code();
    }

    private String text(String column, String json) {
        return roundTrip(column, json).toString();
    }

    @ParameterizedTest
    @CsvSource({
            "i8, -128", "i8, 127", "i16, -32768", "i16, 32767", "i32, -2147483648", "i32, 2147483647",
            "i64, -9223372036854775808", "i64, 9223372036854775807", "u8, 0", "u8, 255", "u16, 65535",
            "u32, 4294967295", "u64, 0", "u64, 18446744073709551615"})
    void integerAtItsBoundRoundTripsExactly(String column, String value) {
        assertThat(text(column, value)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({
            "i8, 128", "i8, -129", "i16, 32768", "i32, 2147483648", "i64, 9223372036854775808", "u8, 256",
            "u8, -1", "u16, 65536", "u32, 4294967296", "u64, 18446744073709551616", "u64, -1"})
    void integerPastItsBoundIsOutOfRange(String column, String value) {
        assertThat(refused(column, value)).isEqualTo("out_of_range");
    }

    @Test
    void fractionIntoIntegerColumnIsTypeMismatch() {
        assertThat(refused("i32", "1.5")).isEqualTo("type_mismatch");
    }

    @Test
    void textIntoInt32IsTypeMismatch() {
        assertThat(refused("i32", "\"abc\"")).isEqualTo("type_mismatch");
    }

    @Test
    void float32RoundTrips() {
        assertThat(roundTrip("f32", "1.5").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(roundTrip("f32", "-0.25").decimalValue()).isEqualByComparingTo("-0.25");
        assertThat(roundTrip("f32", "3").decimalValue()).isEqualByComparingTo("3");
        assertThat(refused("f32", "1e39")).isEqualTo("out_of_range");
    }

    @Test
    void largestFloat32AsJavaWritesItRoundTrips() {
        assertThat(roundTrip("f32", "3.4028235E38").floatValue()).isEqualTo(Float.MAX_VALUE);
        assertThat(roundTrip("f32", "-3.4028235E38").floatValue()).isEqualTo(-Float.MAX_VALUE);
        assertThat(refused("f32", "3.4028236E38")).isEqualTo("out_of_range");
    }

    @Test
    void float64RoundTrips() {
        assertThat(roundTrip("f64", "0.1").doubleValue()).isEqualTo(0.1);
        assertThat(roundTrip("f64", "-1.7976931348623157E308").doubleValue()).isEqualTo(-Double.MAX_VALUE);
        assertThat(refused("f64", "\"1.5\"")).isEqualTo("type_mismatch");
    }

    @Test
    void booleanRoundTrips() {
        assertThat(text("b", "true")).isEqualTo("true");
        assertThat(text("b", "false")).isEqualTo("false");
        assertThat(refused("b", "1")).isEqualTo("type_mismatch");
    }

    @Test
    void utf8RoundTrips() {
        assertThat(roundTrip("s", "\"h\\u00e9llo \\\"w\\\" \\u6f22\"").stringValue()).isEqualTo("héllo \"w\" 漢");
        assertThat(refused("s", "5")).isEqualTo("type_mismatch");
        assertThat(roundTrip("s", "\"\\ud83d\\ude80 a\\u0000b\"").stringValue()).isEqualTo("\ud83d\ude80 a\u0000b");
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefusedRatherThanStoredAsQuestionMarks() {
        assertThat(refused("s", "\"a\\ud800b\"")).isEqualTo("type_mismatch");
        assertThat(refused("s", "\"\\udc00\"")).isEqualTo("type_mismatch");
    }

    @Test
    void dateRoundTripsAsIsoDate() {
        assertThat(roundTrip("d", "\"2024-01-31\"").stringValue()).isEqualTo("2024-01-31");
        assertThat(refused("d", "\"2024-02-30\"")).isEqualTo("type_mismatch");
    }

    @Test
    void datesBeforeTheGregorianSwitchAndBeforeYearOneRoundTrip() {
        assertThat(roundTrip("d", "\"1582-10-10\"").stringValue()).isEqualTo("1582-10-10");
        assertThat(roundTrip("d", "\"0001-01-01\"").stringValue()).isEqualTo("0001-01-01");
        assertThat(roundTrip("d", "\"-0001-03-01\"").stringValue()).isEqualTo("-0001-03-01");
    }

    @Test
    void datetimeAlwaysHasSixFractionDigits() {
        assertThat(roundTrip("t", "\"2024-01-31T12:00:00\"").stringValue()).isEqualTo("2024-01-31T12:00:00.000000");
        assertThat(roundTrip("t", "\"2024-01-31T12:00:00.123456\"").stringValue())
                .isEqualTo("2024-01-31T12:00:00.123456");
        assertThat(roundTrip("t", "\"2024-01-31T12:00:00.5\"").stringValue()).isEqualTo("2024-01-31T12:00:00.500000");
        assertThat(roundTrip("t", "\"2024-01-31T12:00:00+02:00\"").stringValue())
                .isEqualTo("2024-01-31T10:00:00.000000");
    }

    @Test
    void datetimeWithASpaceForTheTAsPythonAndPolarsPrintItReadsAsTheIsoForm() {
        assertThat(roundTrip("t", "\"2024-01-31 12:00:00.25\"").stringValue()).isEqualTo("2024-01-31T12:00:00.250000");
        assertThat(roundTrip("t", "\"2024-01-31 12:00:00+02:00\"").stringValue())
                .isEqualTo("2024-01-31T10:00:00.000000");
        assertThat(refused("t", "\"2024-01-31  12:00:00\"")).isEqualTo("type_mismatch");
    }

    @Test
    void datetimeFinerThanMicrosecondsIsOutOfRange() {
        assertThat(refused("t", "\"2024-01-31T12:00:00.1234567\"")).isEqualTo("out_of_range");
    }

    @Test
    void decimalRoundTripsExactlyInPlainNotation() {
        assertThat(text("dec", "12345678.91")).isEqualTo("12345678.91");
        assertThat(text("dec", "-0.01")).isEqualTo("-0.01");
        assertThat(text("dec", "100")).isEqualTo("100.00");
        assertThat(text("dec", "1E+3")).isEqualTo("1000.00");
        assertThat(text("dec", "\"5.5\"")).isEqualTo("5.50");
    }

    @Test
    void decimalWithTooManyPlacesIsRefusedNotRounded() {
        assertThat(refused("dec", "1.234")).isEqualTo("out_of_range");
        assertThat(refused("dec", "123456789.00")).isEqualTo("out_of_range");
    }

    @Test
    void binaryRoundTripsAsBase64() {
        assertThat(roundTrip("bin", "\"AAEC/w==\"").stringValue()).isEqualTo("AAEC/w==");
        assertThat(refused("bin", "\"not base64!\"")).isEqualTo("type_mismatch");
    }

    @Test
    void nullIntoNullableColumnIsStored() {
        assertThat(roundTrip("i32", "null").isNull()).isTrue();
    }

    @Test
    void nullIntoNonNullableColumnIsRefused() {
        assertThat(refused("must", "null")).isEqualTo("null_value");
    }

    @Test
    void missingNonNullableColumnIsRefused() {
        Reply insert = post("/tables/typed/rows", "{\"id\":999998}");
        assertThat(insert.status()).isEqualTo(400);
        assertThat(insert.code()).isEqualTo("missing_column");
        assertThat(insert.json().get("detail").stringValue()).contains("must");
    }

    @Test
    void objectAsValueIsTypeMismatch() {
        assertThat(refused("s", "{\"a\":1}")).isEqualTo("type_mismatch");
    }

    @Test
    void dateKeysBeforeTheGregorianSwitchAndBeforeYearOneAddressTheirRows() {
        createTable("by_old_date", "k Date key, v Int32");
        assertThat(post("/tables/by_old_date/rows", "[{\"k\":\"1582-10-10\",\"v\":1},"
                + "{\"k\":\"-0001-03-01\",\"v\":2}]").status()).isEqualTo(201);
        assertThat(get("/tables/by_old_date/rows/1582-10-10").json().get("v").intValue()).isEqualTo(1);
        assertThat(get("/tables/by_old_date/rows/-0001-03-01").json().get("v").intValue()).isEqualTo(2);
        assertThat(put("/tables/by_old_date/rows/1582-10-10", "{\"k\":\"1582-10-10\",\"v\":3}").status())
                .isEqualTo(200);
        assertThat(get("/tables/by_old_date/rows/1582-10-10").json().get("v").intValue()).isEqualTo(3);
        assertThat(get("/tables/by_old_date/rows?k=eq.-0001-03-01").json().get(0).get("v").intValue()).isEqualTo(2);
        assertThat(get("/tables/by_old_date/rows?k=lt.1582-10-11&order=k").json()).hasSize(2);
        assertThat(delete("/tables/by_old_date/rows/-0001-03-01").status()).isEqualTo(204);
        assertThat(get("/tables/by_old_date/count").json().get("count").longValue()).isEqualTo(1);
    }

    @Test
    void keysOfEveryKeyTypeAddressRowsFromThePath() {
        createTable("by_text", "k Utf8 key, v Int32");
        createTable("by_date", "k Date key, v Int32");
        createTable("by_time", "k Datetime key, v Int32");
        createTable("by_dec", "k Decimal(6,2) key, v Int32");
        createTable("by_u64", "k UInt64 key, v Int32");
        post("/tables/by_text/rows", "{\"k\":\"a b\",\"v\":1}");
        post("/tables/by_date/rows", "{\"k\":\"2024-01-31\",\"v\":2}");
        post("/tables/by_time/rows", "{\"k\":\"2024-01-31T12:00:00.000001\",\"v\":3}");
        post("/tables/by_dec/rows", "{\"k\":12.5,\"v\":4}");
        post("/tables/by_u64/rows", "{\"k\":18446744073709551615,\"v\":5}");

        assertThat(get("/tables/by_text/rows/a%20b").json().get("v").intValue()).isEqualTo(1);
        assertThat(get("/tables/by_date/rows/2024-01-31").json().get("v").intValue()).isEqualTo(2);
        assertThat(get("/tables/by_time/rows/2024-01-31T12:00:00.000001").json().get("v").intValue()).isEqualTo(3);
        assertThat(get("/tables/by_dec/rows/12.50").json().get("v").intValue()).isEqualTo(4);
        assertThat(get("/tables/by_u64/rows/18446744073709551615").json().get("v").intValue()).isEqualTo(5);
        assertThat(get("/tables/by_u64/rows/18446744073709551616").code()).isEqualTo("out_of_range");
        assertThat(get("/tables/by_date/rows/yesterday").code()).isEqualTo("type_mismatch");
        assertThat(roundTrip("u64", "18446744073709551615").bigIntegerValue())
                .isEqualTo(new BigDecimal("18446744073709551615").toBigInteger());
    }
    /**
     * The CSV export is written by DuckDB, the CSV read by the row-by-row writer: for every type, at its bounds and
     * with text that needs quoting, both give the same bytes.
     */
    @Test
    void csvExportWritesEveryTypeAsTheRowByRowCsvDoes() {
        createTable("csv_typed", "id Int64 key, i8 Int8, i16 Int16, i32 Int32, i64 Int64, u8 UInt8, u16 UInt16, "
                + "u32 UInt32, u64 UInt64, f32 Float32, f64 Float64, b Boolean, s Utf8, d Date, t Datetime, "
                + "dec Decimal(10,2), big Decimal(38,10), bin Binary");
        String rows = "[{\"id\":1,\"i8\":-128,\"i16\":-32768,\"i32\":-2147483648,\"i64\":-9223372036854775808,"
                + "\"u8\":0,\"u16\":0,\"u32\":0,\"u64\":0,\"f32\":3.4E38,\"f64\":-1.7976931348623157E308,"
                + "\"b\":true,\"s\":\"a,b\",\"d\":\"0001-01-01\",\"t\":\"0001-01-01T00:00:00\",\"dec\":-99999999.99,"
                + "\"big\":\"-9999999999999999999999999999.9999999999\",\"bin\":\"\"},"
                + "{\"id\":2,\"i8\":127,\"i16\":32767,\"i32\":2147483647,\"i64\":9223372036854775807,\"u8\":255,"
                + "\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615,\"f32\":0.001,\"f64\":1E20,"
                + "\"b\":false,\"s\":\"q\\\"uote\\\"\",\"d\":\"9999-12-31\",\"t\":\"9999-12-31T23:59:59.999999\","
                + "\"dec\":0.01,\"big\":\"0.0000000001\",\"bin\":\"AAEC/w==\"},"
                + "{\"id\":3,\"s\":\"\"},"
                + "{\"id\":4,\"s\":\"line\\nbreak\\r\\nx\",\"f32\":1E7,\"f64\":1E-4,\"d\":\"+10000-01-01\","
                + "\"t\":\"2024-01-31T12:00:00.5\",\"dec\":0},"
                + "{\"id\":5,\"s\":\"\u6f22\u00e9\ud83d\ude00 #;\\t lead \",\"f32\":-0.0,\"f64\":-0.0,"
                + "\"t\":\"-0001-03-01T01:02:03.000004\"},"
                + "{\"id\":6,\"s\":\"NULL\",\"f32\":0.1,\"f64\":0.001,\"d\":\"1970-01-01\"},"
                + "{\"id\":7,\"s\":\" \",\"f32\":16777216,\"f64\":9999999.999},"
                + "{\"id\":8,\"f32\":-1.5E-10,\"f64\":1E-300},"
                + "{\"id\":9,\"f32\":123.456,\"f64\":12345678.9},"
                + "{\"id\":10,\"f64\":0.00099}]";
        Reply insert = post("/tables/csv_typed/rows", rows);
        assertThat(insert.status()).as(insert.body()).isEqualTo(201);

        Reply export = get("/tables/csv_typed/export?format=csv&order=id");
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.body()).isEqualTo(rowByRowCsv("/tables/csv_typed/rows?order=id&limit=100"));
        assertThat(export.body()).contains("\r\n3,,,,,,,,,,,,\"\",,,,,\r\n")
                .contains(",3.4E38,-1.7976931348623157E308,true,\"a,b\",0001-01-01,0001-01-01T00:00:00.000000,")
                .contains(",1.0E20,").contains(",\"q\"\"uote\"\"\",").contains(",+10000-01-01,")
                .contains("-0001-03-01T01:02:03.000004").contains(",0.0,0.0,").contains(",1.0E-4,")
                .contains(",9.9E-4,").contains(",\"line\nbreak\r\nx\",").contains(",AAEC/w==\r\n");
        assertThat(export.header("Content-Length").orElseThrow())
                .isEqualTo(Integer.toString(export.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void csvExportOfAggregatesWritesTheResultTypesAsTheRowByRowCsvDoes() {
        createTable("csv_sums", "id Int64 key, g Utf8, i32 Int32, u64 UInt64, f64 Float64, dec Decimal(10,2)");
        post("/tables/csv_sums/rows", "[{\"id\":1,\"g\":\"a\",\"i32\":2147483647,\"u64\":18446744073709551615,"
                + "\"f64\":1.7976931348623157E308,\"dec\":99999999.99},{\"id\":2,\"g\":\"a\",\"i32\":2147483647,"
                + "\"u64\":18446744073709551615,\"f64\":1.7976931348623157E308,\"dec\":99999999.99},"
                + "{\"id\":3,\"g\":\"b\",\"i32\":1,\"f64\":-0.5,\"dec\":0.01}]");
        String select = "select=g,a:i32.sum(),b:u64.sum(),c:f64.sum(),d:f64.avg(),e:dec.sum(),f:dec.avg(),id.count(),i32.max()"
                + "&order=g";
        Reply export = get("/tables/csv_sums/export?format=csv&" + select);
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.body()).isEqualTo(rowByRowCsv("/tables/csv_sums/rows?" + select))
                .contains("a,4294967294,36893488147419103230,Infinity,Infinity,199999999.98,");
    }

    /**
     * Where Java 17 prints more digits than a float needs (JDK-4511638), the export has the shortest digits; both
     * read back as the same number.
     */
    @Test
    void csvExportGivesShortestDigitsWhereJava17PrintsMore() {
        createTable("csv_tiny", "id Int64 key, f32 Float32, f64 Float64");
        post("/tables/csv_tiny/rows", "{\"id\":1,\"f32\":1.4E-45,\"f64\":4.9E-324}");
        String export = get("/tables/csv_tiny/export?format=csv").body();
        assertThat(rowByRowCsv("/tables/csv_tiny/rows")).isEqualTo("id,f32,f64\r\n1,1.4E-45,4.9E-324\r\n");
        assertThat(export).isEqualTo("id,f32,f64\r\n1,1.0E-45,5.0E-324\r\n");
        assertThat(Float.parseFloat("1.0E-45")).isEqualTo(1.4E-45f);
        assertThat(Double.parseDouble("5.0E-324")).isEqualTo(4.9E-324);
    }

    /** Dates before year 1 and before the 1582 calendar switch: the export and the row reads write them alike. */
    @Test
    void csvExportWritesDatesBeforeYearOneAsStored() {
        createTable("csv_bc", "id Int64 key, d Date, t Datetime");
        post("/tables/csv_bc/rows", "{\"id\":1,\"d\":\"-0001-03-01\",\"t\":\"-0001-03-01T00:00:00\"}");
        post("/tables/csv_bc/rows", "{\"id\":2,\"d\":\"1582-10-10\",\"t\":\"1582-10-10T00:00:00\"}");
        String export = get("/tables/csv_bc/export?format=csv").body();
        assertThat(export).isEqualTo("id,d,t\r\n1,-0001-03-01,-0001-03-01T00:00:00.000000\r\n"
                + "2,1582-10-10,1582-10-10T00:00:00.000000\r\n");
        assertThat(export).isEqualTo(rowByRowCsv("/tables/csv_bc/rows"));
    }

    private String rowByRowCsv(String path) {
        Reply rows = send("GET", path, null, null, "Accept", "text/csv");
        assertThat(rows.status()).as(rows.body()).isEqualTo(200);
        return rows.body();
    }
}
