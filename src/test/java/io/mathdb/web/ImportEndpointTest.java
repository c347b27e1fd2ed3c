package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Bulk import over HTTP: CSV and NDJSON bodies at the insert URL, all or nothing, with the body size limit. */
@TestPropertySource(properties = "mathdb.http.max-body-size=4KB")
class ImportEndpointTest extends HttpTestSupport {
    @BeforeEach
    void table() {
        delete("/tables/imp");
        createTable("imp", "id Int64 key, name Utf8, age Int32");
    }

    @Test
    void csvBodyImportsEveryRow() {
        Reply r = send("POST", "/tables/imp/rows", "id,name,age\n1,Alice,30\n2,Bob,25\n", "text/csv");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("rows").asLong()).isEqualTo(2);
        assertThat(r.lsn()).isPositive();
        assertThat(get("/tables/imp/rows/2").json().get("name").asString()).isEqualTo("Bob");
    }

    @Test
    void ndjsonBodyWithUpsertReplacesRows() {
        send("POST", "/tables/imp/rows", "{\"id\":1,\"name\":\"a\"}\n", "application/x-ndjson");
        Reply r = send("POST", "/tables/imp/rows?on_conflict=update", "{\"id\":1,\"name\":\"b\"}\n",
                "application/x-ndjson");
        assertThat(r.status()).isEqualTo(201);
        assertThat(get("/tables/imp/rows/1").json().get("name").asString()).isEqualTo("b");
    }

    @Test
    void badCsvValueIs400NamingTheLineAndWritesNothing() {
        Reply r = send("POST", "/tables/imp/rows", "id,age\n1,1\n2,old\n", "text/csv");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("type_mismatch");
        assertThat(r.json().get("detail").asString()).contains("line 3").contains("age");
        assertThat(get("/tables/imp/count").json().get("count").asLong()).isZero();
    }

    @Test
    void duplicateKeyInCsvIs409() {
        Reply r = send("POST", "/tables/imp/rows", "id\n1\n1\n", "text/csv");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("duplicate_key");
    }

    @Test
    void csvOverTheBodyLimitIs413AndWritesNothing() {
        StringBuilder body = new StringBuilder("id,name\n");
        for (int i = 0; i < 1000; i++) {
            body.append(i).append(",name").append(i).append('\n');
        }
        Reply r = send("POST", "/tables/imp/rows", body.toString(), "text/csv");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(get("/tables/imp/count").json().get("count").asLong()).isZero();
    }

    @Test
    void plainTextBodyIs415() {
        assertThat(send("POST", "/tables/imp/rows", "1", "text/plain").status()).isEqualTo(415);
    }
}
