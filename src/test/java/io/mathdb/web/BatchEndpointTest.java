package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /batch}: operations over several tables, in order, all or none. */
class BatchEndpointTest extends HttpTestSupport {
    private static int round;
    private String a;
    private String b;

    @BeforeEach
    void tables() {
        a = "accounts" + ++round;
        b = "ledger" + round;
        createTable(a, "id Int64 key, balance Int64");
        createTable(b, "id Utf8 key, amount Int64");
        post("/tables/" + a + "/rows", "[{\"id\":1,\"balance\":100},{\"id\":2,\"balance\":0},{\"id\":3,\"balance\":7}]");
    }

    private long count(String table) {
        return get("/tables/" + table + "/count").json().get("count").longValue();
    }

    @Test
    void everyKindOfOperationIsAppliedInOrder() {
        Reply reply = post("/batch", """
                {"ops":[
                  {"op":"update","table":"%1$s","key":1,"row":{"balance":60}},
                  {"op":"patch","table":"%1$s","key":2,"row":{"balance":40}},
                  {"op":"insert","table":"%2$s","row":{"id":"t1","amount":40}},
                  {"op":"upsert","table":"%2$s","row":{"id":"t1","amount":41}},
                  {"op":"delete","table":"%1$s","key":3},
                  {"op":"INSERT","table":"%1$s","row":{"id":4}}
                ]}""".formatted(a, b));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.lsn()).isPositive();
        assertThat(reply.json().get("lsn").longValue()).isEqualTo(reply.lsn());
        assertThat(get("/tables/" + a + "/rows/1").json().get("balance").longValue()).isEqualTo(60);
        assertThat(get("/tables/" + a + "/rows/2").json().get("balance").longValue()).isEqualTo(40);
        assertThat(get("/tables/" + a + "/rows/3").status()).isEqualTo(404);
        assertThat(get("/tables/" + a + "/rows/4").status()).isEqualTo(200);
        assertThat(get("/tables/" + b + "/rows/t1").json().get("amount").longValue()).isEqualTo(41);
    }

    @Test
    void failingLastOperationWritesNothing() {
        Reply reply = post("/batch", """
                {"ops":[
                  {"op":"patch","table":"%1$s","key":1,"row":{"balance":0}},
                  {"op":"insert","table":"%2$s","row":{"id":"t1","amount":100}},
                  {"op":"insert","table":"%1$s","row":{"id":2}}
                ]}""".formatted(a, b));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("duplicate_key");
        assertThat(get("/tables/" + a + "/rows/1").json().get("balance").longValue()).isEqualTo(100);
        assertThat(count(b)).isZero();
        assertThat(count(a)).isEqualTo(3);
    }

    @Test
    void invalidOperationIsNamedByIndexAndWritesNothing() {
        Reply reply = post("/batch", """
                {"ops":[
                  {"op":"insert","table":"%2$s","row":{"id":"t1","amount":1}},
                  {"op":"patch","table":"%1$s","key":1,"row":{"balance":"lots"}}
                ]}""".formatted(a, b));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("type_mismatch");
        assertThat(reply.json().get("detail").stringValue()).contains("ops[1]").contains("balance");
        assertThat(count(b)).isZero();
    }

    @Test
    void operationOnMissingRowIs404AndWritesNothing() {
        Reply reply = post("/batch", """
                {"ops":[
                  {"op":"insert","table":"%2$s","row":{"id":"t1","amount":1}},
                  {"op":"delete","table":"%1$s","key":99}
                ]}""".formatted(a, b));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_row");
        assertThat(count(b)).isZero();
    }

    @Test
    void operationOnMissingTableIs404() {
        Reply reply = post("/batch", "{\"ops\":[{\"op\":\"insert\",\"table\":\"nowhere\",\"row\":{\"id\":1}}]}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_table");
    }

    @Test
    void unknownOpIsInvalidRequestAndWritesNothing() {
        Reply reply = post("/batch", """
                {"ops":[
                  {"op":"insert","table":"%2$s","row":{"id":"t1","amount":1}},
                  {"op":"merge","table":"%1$s","key":1}
                ]}""".formatted(a, b));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").stringValue()).contains("ops[1]").contains("merge");
        assertThat(count(b)).isZero();
    }

    @Test
    void missingOpsIsInvalidRequest() {
        Reply reply = post("/batch", "{\"operations\":[]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").stringValue()).contains("ops");
    }

    @Test
    void emptyOpsIsInvalidRequest() {
        assertThat(post("/batch", "{\"ops\":[]}").code()).isEqualTo("invalid_request");
    }

    @Test
    void opsOfTheWrongShapeAreInvalidRequest() {
        assertThat(post("/batch", "{\"ops\":[1,2]}").code()).isEqualTo("invalid_request");
        assertThat(post("/batch", "{\"ops\":{\"op\":\"insert\"}}").code()).isEqualTo("invalid_request");
        assertThat(post("/batch", "[]").code()).isEqualTo("invalid_request");
        assertThat(post("/batch", "{\"ops\":[{\"op\":\"insert\",\"table\":\"" + a + "\",\"row\":[1]}]}").code())
                .isEqualTo("invalid_request");
    }

    @Test
    void operationWithoutTableIsInvalidRequest() {
        assertThat(post("/batch", "{\"ops\":[{\"op\":\"delete\",\"key\":1}]}").code()).isEqualTo("invalid_request");
    }
}
