package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /tables/{table}/rows} and {@code /count}: every status, the conflict modes, all-or-nothing arrays, LSNs. */
class RowEndpointsTest extends HttpTestSupport {
    private static int tables;
    private String t;

    /** A fresh table per test, so tests share the service but not rows. */
    @BeforeEach
    void table() {
        t = "users" + ++tables;
        createTable(t, "id Int64 key, name Utf8, age Int32");
    }

    private String rows() {
        return "/tables/" + t + "/rows";
    }

    private long count() {
        return get("/tables/" + t + "/count").json().get("count").longValue();
    }

    @Test
    void insertedRowIsReadBack() {
        Reply insert = post(rows(), "{\"id\":1,\"name\":\"Alice\",\"age\":30}");
        assertThat(insert.status()).isEqualTo(201);
        assertThat(insert.json().get("rows").longValue()).isEqualTo(1);
        assertThat(insert.json().get("lsn").longValue()).isEqualTo(insert.lsn());

        Reply row = get(rows() + "/1");
        assertThat(row.status()).isEqualTo(200);
        assertThat(row.body()).isEqualTo("{\"id\":1,\"name\":\"Alice\",\"age\":30}");
    }

    @Test
    void arrayInsertWritesEveryRow() {
        Reply insert = post(rows(), "[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"},{\"id\":3}]");
        assertThat(insert.status()).isEqualTo(201);
        assertThat(insert.json().get("rows").longValue()).isEqualTo(3);
        assertThat(count()).isEqualTo(3);
        assertThat(get(rows() + "/3").body()).isEqualTo("{\"id\":3,\"name\":null,\"age\":null}");
    }

    @Test
    void duplicateKeyInsertIsConflictNamingTheKey() {
        post(rows(), "{\"id\":1,\"name\":\"a\"}");
        Reply reply = post(rows(), "{\"id\":1,\"name\":\"b\"}");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("duplicate_key");
        assertThat(reply.json().get("detail").stringValue()).contains("1");
        assertThat(reply.header("MathDB-LSN")).isEmpty();
        assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("a");
    }

    @Test
    void existingKeyInArrayWritesNothing() {
        post(rows(), "{\"id\":1}");
        Reply reply = post(rows(), "[{\"id\":5},{\"id\":6},{\"id\":1}]");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(count()).isEqualTo(1);
        assertThat(get(rows() + "/5").status()).isEqualTo(404);
    }

    @Test
    void duplicateKeyInArrayWritesNothing() {
        Reply reply = post(rows(), "[{\"id\":7},{\"id\":8},{\"id\":7}]");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("duplicate_key");
        assertThat(count()).isZero();
    }

    @Test
    void invalidElementInArrayWritesNothingAndNamesIt() {
        Reply reply = post(rows(), "[{\"id\":1},{\"id\":2,\"age\":\"old\"}]");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("type_mismatch");
        assertThat(reply.json().get("detail").stringValue()).contains("rows[1]").contains("age");
        assertThat(count()).isZero();
    }

    @Test
    void onConflictUpdateReplacesWholeRowsLastOneWinning() {
        post(rows(), "{\"id\":1,\"name\":\"a\",\"age\":1}");
        Reply reply = post(rows() + "?on_conflict=update", "[{\"id\":1,\"name\":\"b\"},{\"id\":1,\"name\":\"c\"},"
                + "{\"id\":2,\"name\":\"d\"}]");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(get(rows() + "/1").body()).isEqualTo("{\"id\":1,\"name\":\"c\",\"age\":null}");
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void preferMergeDuplicatesUpserts() {
        post(rows(), "{\"id\":1,\"name\":\"a\"}");
        Reply reply = send("POST", rows(), "{\"id\":1,\"name\":\"b\"}", "application/json",
                "Prefer", "return=minimal, resolution=merge-duplicates");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("b");
    }

    @Test
    void onConflictIgnoreKeepsExistingRows() {
        post(rows(), "{\"id\":1,\"name\":\"a\"}");
        Reply reply = post(rows() + "?on_conflict=ignore", "[{\"id\":1,\"name\":\"b\"},{\"id\":2,\"name\":\"c\"}]");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("rows").longValue()).isEqualTo(1);
        assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("a");
        assertThat(get(rows() + "/2").json().get("name").stringValue()).isEqualTo("c");
    }

    @Test
    void preferIgnoreDuplicatesKeepsExistingRows() {
        post(rows(), "{\"id\":1,\"name\":\"a\"}");
        Reply reply = send("POST", rows(), "{\"id\":1,\"name\":\"b\"}", "application/json",
                "Prefer", "resolution=ignore-duplicates");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("a");
    }

    @Test
    void unknownOnConflictIsRefused() {
        Reply reply = post(rows() + "?on_conflict=merge", "{\"id\":1}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").stringValue()).contains("on_conflict").contains("merge");
        assertThat(count()).isZero();
    }

    @Test
    void syncDurabilityIsAcceptedOnEveryWrite() {
        assertThat(post(rows() + "?durability=sync", "{\"id\":1}").status()).isEqualTo(201);
        assertThat(put(rows() + "/1?durability=sync", "{\"name\":\"x\"}").status()).isEqualTo(200);
        assertThat(patch(rows() + "/1?durability=SYNC", "{\"age\":3}").status()).isEqualTo(200);
        assertThat(delete(rows() + "/1?durability=sync").status()).isEqualTo(204);
        assertThat(post("/batch?durability=sync", "{\"ops\":[{\"op\":\"insert\",\"table\":\"" + t
                + "\",\"row\":{\"id\":2}}]}").status()).isEqualTo(200);
    }

    @Test
    void badDurabilityIsRefusedAndWritesNothing() {
        Reply reply = post(rows() + "?durability=later", "{\"id\":1}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").stringValue()).contains("durability");
        assertThat(count()).isZero();
        post(rows(), "{\"id\":1}");
        assertThat(delete(rows() + "/1?durability=later").status()).isEqualTo(400);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void missingRowIs404() {
        Reply reply = get(rows() + "/42");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_row");
        assertThat(reply.json().get("detail").stringValue()).contains("42");
    }

    @Test
    void rowOfMissingTableIs404() {
        assertThat(get("/tables/nope/rows/1").code()).isEqualTo("no_such_table");
        assertThat(post("/tables/nope/rows", "{\"id\":1}").code()).isEqualTo("no_such_table");
        assertThat(get("/tables/nope/count").status()).isEqualTo(404);
    }

    @Test
    void nonNumericKeyOfIntegerTableIsTypeMismatch() {
        Reply reply = get(rows() + "/abc");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("type_mismatch");
    }

    @Test
    void putReplacesTheWholeRow() {
        post(rows(), "{\"id\":1,\"name\":\"a\",\"age\":5}");
        Reply reply = put(rows() + "/1", "{\"id\":1,\"name\":\"b\"}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.lsn()).isPositive();
        assertThat(get(rows() + "/1").body()).isEqualTo("{\"id\":1,\"name\":\"b\",\"age\":null}");
    }

    @Test
    void putOfMissingRowIs404AndWritesNothing() {
        Reply reply = put(rows() + "/9", "{\"name\":\"b\"}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_row");
        assertThat(count()).isZero();
    }

    @Test
    void putWithDifferentKeyInBodyIsRefused() {
        post(rows(), "{\"id\":1,\"name\":\"a\"}");
        Reply reply = put(rows() + "/1", "{\"id\":2,\"name\":\"b\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("key_mismatch");
        assertThat(get(rows() + "/1").json().get("name").stringValue()).isEqualTo("a");
    }

    @Test
    void patchSetsOnlyTheGivenColumns() {
        post(rows(), "{\"id\":1,\"name\":\"a\",\"age\":5}");
        Reply reply = patch(rows() + "/1", "{\"age\":6}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(get(rows() + "/1").body()).isEqualTo("{\"id\":1,\"name\":\"a\",\"age\":6}");
    }

    @Test
    void patchOfMissingRowIs404() {
        Reply reply = patch(rows() + "/1", "{\"age\":6}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_row");
    }

    @Test
    void deletedRowIsGone() {
        post(rows(), "{\"id\":1}");
        Reply reply = delete(rows() + "/1");
        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.lsn()).isPositive();
        assertThat(get(rows() + "/1").status()).isEqualTo(404);
        assertThat(delete(rows() + "/1").status()).isEqualTo(404);
        assertThat(count()).isZero();
    }

    @Test
    void countCountsRows() {
        post(rows(), "[{\"id\":1},{\"id\":2},{\"id\":3}]");
        Reply reply = get("/tables/" + t + "/count");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"count\":3}");
    }

    @Test
    void lsnGrowsWithEveryWrite() {
        long a = post(rows(), "{\"id\":1}").lsn();
        long b = put(rows() + "/1", "{\"name\":\"x\"}").lsn();
        long c = patch(rows() + "/1", "{\"age\":1}").lsn();
        long d = post(rows() + "?on_conflict=update", "{\"id\":1}").lsn();
        long e = post("/batch", "{\"ops\":[{\"op\":\"insert\",\"table\":\"" + t + "\",\"row\":{\"id\":2}}]}").lsn();
        long f = delete(rows() + "/1").lsn();
        assertThat(new long[] {a, b, c, d, e, f}).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void unknownColumnIsRefusedNamingIt() {
        Reply reply = post(rows(), "{\"id\":1,\"nickname\":\"x\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("unknown_column");
        assertThat(reply.json().get("detail").stringValue()).contains("nickname");
    }

    @Test
    void missingKeyIsNullKey() {
        Reply reply = post(rows(), "{\"name\":\"x\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("null_key");
        assertThat(post(rows(), "{\"id\":null}").code()).isEqualTo("null_key");
    }

    @Test
    void textIntoIntegerColumnIsTypeMismatch() {
        Reply reply = post(rows(), "{\"id\":1,\"age\":\"abc\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("type_mismatch");
        assertThat(reply.json().get("detail").stringValue()).contains("age").contains("abc");
    }

    @Test
    void emptyArrayIsInvalidRequest() {
        assertThat(post(rows(), "[]").code()).isEqualTo("invalid_request");
    }
}
