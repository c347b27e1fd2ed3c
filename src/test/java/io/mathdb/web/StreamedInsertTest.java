package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An insert body is parsed straight into rows ({@link JsonRowReader}), and answers as reading it whole first did:
 * malformed JSON before anything else, then the table, then the body's shape, then the parameters, then the first
 * refused row. Every case is sent both ways, to {@link HotPathFilter} and (by accepting only problem+json) through
 * Spring MVC, and both must answer alike.
 */
class StreamedInsertTest extends HttpTestSupport {
    private static final String PROBLEM_ONLY = "application/problem+json";
    private static int tables;
    private String t;

    @BeforeEach
    void table() {
        t = "streamed" + ++tables;
        createTable(t, "id Int64 key, name Utf8, price Decimal(10,2)");
    }

    private String rows() {
        return "/tables/" + t + "/rows";
    }

    private long count() {
        return get("/tables/" + t + "/count").json().get("count").longValue();
    }

    /** Sends {@code body} both ways; both must be refused with {@code status}, {@code code} and {@code detail}. */
    private void refusedBothWays(String path, String body, int status, String code, String detail) {
        for (String accept : new String[] {"application/json", PROBLEM_ONLY}) {
            Reply reply = send("POST", path, body, "application/json", "Accept", accept);
            assertThat(reply.status()).as("%s via %s", reply.body(), accept).isEqualTo(status);
            assertThat(reply.code()).as(accept).isEqualTo(code);
            assertThat(reply.json().get("detail").stringValue()).as(accept).isEqualTo(detail);
        }
        assertThat(count()).isZero();
    }

    private void refusedBothWays(String body, int status, String code, String detail) {
        refusedBothWays(rows(), body, status, code, detail);
    }

    @Test
    void springMvcIsTakenWhenOnlyProblemJsonIsAccepted() {
        Reply reply = send("POST", rows(), "{\"id\":1}", "application/json", "Accept", PROBLEM_ONLY);
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith(PROBLEM_ONLY); // the hot path always answers application/json
    }

    @Test
    void nestedValueIsTypeMismatchNamingItsRowAndColumn() {
        refusedBothWays("[{\"id\":1},{\"id\":2,\"name\":{\"a\":[1,2]}}]", 400, "type_mismatch",
                "rows[1]: column 'name' (Utf8) expects a string, got {\"a\":[1,2]}");
        refusedBothWays("{\"id\":1,\"name\":[true,null]}", 400, "type_mismatch",
                "column 'name' (Utf8) expects a string, got [true,null]");
    }

    @Test
    void keyGivenTwiceInOneObjectIsMalformedJsonEvenAfterARefusedRow() {
        refusedBothWays("[{\"id\":1,\"x\":1},{\"id\":2,\"id\":3}]", 400, "malformed_json",
                "malformed JSON: Duplicate Object property \"id\" (line 1, column 29)");
    }

    @Test
    void columnGivenTwiceInAnotherCaseIsInvalidRequest() {
        refusedBothWays("{\"id\":1,\"ID\":2}", 400, "invalid_request",
                "table '" + t + "': column 'id' is given twice");
    }

    @Test
    void unknownColumnIsNamedWithItsRow() {
        refusedBothWays("[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4,\"x\":1},{\"id\":5,\"y\":1}]", 400,
                "unknown_column", "rows[3]: table '" + t + "' has no column 'x'");
    }

    @Test
    void refusedOnlyRowOfAnArrayIsNotNamedByIndex() {
        refusedBothWays("[{\"id\":1,\"x\":1}]", 400, "unknown_column", "table '" + t + "' has no column 'x'");
    }

    @Test
    void emptyArrayIsInvalidRequest() {
        refusedBothWays("[]", 400, "invalid_request", "the body is an empty array; send at least one row");
    }

    @Test
    void trailingGarbageAfterTheArrayIsMalformedJson() {
        refusedBothWays("[{\"id\":1}] x", 400, "malformed_json", "malformed JSON: Unrecognized token 'x': was "
                + "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 12)");
        refusedBothWays("[{\"id\":1}] ]", 400, "malformed_json",
                "malformed JSON: Unexpected close marker ']': no open Array to close (line 1, column 12)");
    }

    @Test
    void secondValueAfterTheBodyIsTheWrongShape() {
        refusedBothWays("{\"id\":1} {\"id\":2}", 400, "invalid_request", "the JSON body has the wrong shape: "
                + "Trailing token (`JsonToken.START_OBJECT`) found after value (bound as "
                + "`tools.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
    }

    @Test
    void unfinishedArrayIsMalformedJson() {
        refusedBothWays("[{\"id\":1,\"x\":2}", 400, "malformed_json",
                "malformed JSON: Unexpected end-of-input: expected close marker for Array (start marker) "
                        + "(line 1, column 16)");
    }

    @Test
    void numberTooLargeForInt64IsOutOfRange() {
        refusedBothWays("{\"id\":99999999999999999999999}", 400, "out_of_range",
                "column 'id' (Int64): 99999999999999999999999 is outside [-9223372036854775808, 9223372036854775807]");
        refusedBothWays("{\"id\":1.50}", 400, "type_mismatch", "column 'id' (Int64) expects an integer, got 1.50");
    }

    @Test
    void nullBodyIsInvalidRequest() {
        refusedBothWays("null", 400, "invalid_request", "the body must be a JSON object or an array of objects");
    }

    @Test
    void arrayOfANumberIsInvalidRequestNamingTheElement() {
        refusedBothWays("[1]", 400, "invalid_request", "rows[0] must be a JSON object of column values, got 1");
        refusedBothWays("[{\"id\":1},null]", 400, "invalid_request",
                "rows[1] must be a JSON object of column values, got null");
        refusedBothWays("\"id\"", 400, "invalid_request",
                "the body must be a JSON object of column values, got \"id\"");
    }

    @Test
    void blankBodyIsAMissingBody() {
        refusedBothWays(" \n", 400, "invalid_request", "a JSON request body is required");
    }

    @Test
    void malformedJsonOutranksAMissingTableWhichOutranksTheShape() {
        refusedBothWays("/tables/nope/rows", "[{\"id\":1}", 400, "malformed_json",
                "malformed JSON: Unexpected end-of-input: expected close marker for Array (start marker) "
                        + "(line 1, column 10)");
        refusedBothWays("/tables/nope/rows", "[1]", 404, "no_such_table", "no table named 'nope'");
    }

    @Test
    void wrongShapeOutranksAnEarlierRefusedRow() {
        refusedBothWays("[{\"id\":1,\"x\":1},2]", 400, "invalid_request",
                "rows[1] must be a JSON object of column values, got 2");
    }

    @Test
    void badParameterOutranksARefusedRowButNotTheShape() {
        refusedBothWays(rows() + "?on_conflict=merge", "[{\"id\":1,\"x\":1}]", 400, "invalid_request",
                "query parameter on_conflict is 'merge'; expected update, ignore or error");
        refusedBothWays(rows() + "?durability=later", "[]", 400, "invalid_request",
                "the body is an empty array; send at least one row");
    }

    @Test
    void exactNumbersAndNullsReachTheirColumns() {
        Reply reply = post(rows(), "[{\"id\":1,\"price\":1.5,\"name\":null},{\"id\":9223372036854775807,"
                + "\"price\":12345678.90,\"name\":\"\\u00e9\"}]");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(get(rows() + "/1").body()).isEqualTo("{\"id\":1,\"name\":null,\"price\":1.50}");
        assertThat(get(rows() + "/9223372036854775807").body())
                .isEqualTo("{\"id\":9223372036854775807,\"name\":\"\u00e9\",\"price\":12345678.90}");
    }

    @Test
    void manyRowsAreAllWrittenWhicheverWayTheyCame() {
        for (String accept : new String[] {"application/json", PROBLEM_ONLY}) {
            int first = accept.equals(PROBLEM_ONLY) ? 10_000 : 0;
            StringJoiner body = new StringJoiner(",", "[", "]");
            for (int i = first; i < first + 5000; i++) {
                body.add("{\"id\":" + i + ",\"Name\":\"n" + i + "\",\"price\":" + i + ".25}");
            }
            Reply reply = send("POST", rows(), body.toString(), "application/json", "Accept", accept);
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            assertThat(reply.json().get("rows").longValue()).isEqualTo(5000);
        }
        assertThat(count()).isEqualTo(10_000);
        assertThat(get(rows() + "/14999").body()).isEqualTo("{\"id\":14999,\"name\":\"n14999\",\"price\":14999.25}");
    }

    @Test
    void bodyInADeclaredNonUnicodeCharsetIsReadInItWhicheverWayItCame() {
        byte[] latin1 = "[{\"id\":1,\"name\":\"caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1);
        for (String accept : new String[] {"application/json", PROBLEM_ONLY}) {
            HttpRequest request = HttpRequest.newBuilder(uri(rows() + "?on_conflict=update"))
                    .header("Content-Type", "application/json;charset=ISO-8859-1").header("Accept", accept)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)).build();
            assertThat(send(request).status()).as(accept).isEqualTo(201);
            assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("caf\u00e9");
        }
    }
}
