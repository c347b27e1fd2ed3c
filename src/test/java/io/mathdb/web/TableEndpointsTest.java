package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code /tables}: create, list, get, drop, and the definitions and names refused. */
class TableEndpointsTest extends HttpTestSupport {

    @Test
    void createdTableAnswers201WithLocationAndSchema() {
        Reply reply = post("/tables", """
                {"name":"people","columns":[{"name":"id","type":"Int64","primaryKey":true},
                 {"name":"name","type":"String","nullable":false},{"name":"price","type":"decimal(10, 2)"}]}""");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.header("Location")).hasValue(uri("/tables/people").toString());
        assertThat(reply.lsn()).isPositive();
        JsonNode columns = reply.json().get("columns");
        assertThat(columns.get(0).get("type").stringValue()).isEqualTo("Int64");
        assertThat(columns.get(0).get("primaryKey").booleanValue()).isTrue();
        assertThat(columns.get(0).get("nullable").booleanValue()).isFalse();
        assertThat(columns.get(1).get("type").stringValue()).isEqualTo("Utf8");
        assertThat(columns.get(1).get("nullable").booleanValue()).isFalse();
        assertThat(columns.get(2).get("type").stringValue()).isEqualTo("Decimal(10,2)");
        assertThat(columns.get(2).get("nullable").booleanValue()).isTrue();
        assertThat(reply.json().get("rows").longValue()).isZero();
    }

    @Test
    void tableIsListedAndShownWithItsRowCount() {
        createTable("listed", "id Int64 key, name Utf8");
        post("/tables/listed/rows", "[{\"id\":1},{\"id\":2}]");

        Reply one = get("/tables/LISTED");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("name").stringValue()).isEqualTo("listed");
        assertThat(one.json().get("rows").longValue()).isEqualTo(2);

        Reply all = get("/tables");
        assertThat(all.status()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode table : all.json()) {
            if (table.get("name").stringValue().equals("listed")) {
                listed = table;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("rows").longValue()).isEqualTo(2);
        assertThat(listed.get("columns").size()).isEqualTo(2);
    }

    @Test
    void missingTableIs404() {
        Reply reply = get("/tables/nothing_here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("no_such_table");
        assertThat(reply.json().get("detail").stringValue()).contains("nothing_here");
    }

    @Test
    void droppedTableIsGone() {
        createTable("doomed", "id Int64 key");
        Reply drop = delete("/tables/doomed");
        assertThat(drop.status()).isEqualTo(204);
        assertThat(drop.lsn()).isPositive();
        assertThat(get("/tables/doomed").status()).isEqualTo(404);
        assertThat(delete("/tables/doomed").code()).isEqualTo("no_such_table");
    }

    @Test
    void tableNameDifferingOnlyInCaseIsConflict() {
        createTable("Users", "id Int64 key");
        Reply reply = post("/tables", "{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\","
                + "\"primaryKey\":true}]}");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("table_exists");
    }

    @Test
    void columnNamesDifferingOnlyInCaseAreRefused() {
        Reply reply = post("/tables", "{\"name\":\"twice\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\","
                + "\"primaryKey\":true},{\"name\":\"Name\",\"type\":\"Utf8\"},{\"name\":\"NAME\",\"type\":\"Utf8\"}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_schema");
        assertThat(get("/tables/twice").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad\\\"quote", "a.b", "a/b", "..", "1abc", "select", "table", "",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void badTableNameIsRefused(String name) {
        Reply reply = post("/tables", "{\"name\":\"" + name + "\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\","
                + "\"primaryKey\":true}]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_name");
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my col", "x-y", "from", "a234567890123456789012345678901234567890123456789012345678901234"})
    void badColumnNameIsRefused(String name) {
        Reply reply = post("/tables", "{\"name\":\"cols\",\"columns\":[{\"name\":\"" + name + "\",\"type\":\"Int64\","
                + "\"primaryKey\":true}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_name");
    }

    @Test
    void sixtyThreeCharacterNameIsAccepted() {
        createTable("a" + "b".repeat(62), "id Int64 key");
        assertThat(get("/tables/a" + "b".repeat(62)).status()).isEqualTo(200);
    }

    @Test
    void tableWithoutOrWithTwoKeysIsRefused() {
        Reply none = post("/tables", "{\"name\":\"nokey\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\"}]}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.code()).isEqualTo("invalid_schema");
        Reply two = post("/tables", "{\"name\":\"twokeys\",\"columns\":[{\"name\":\"a\",\"type\":\"Int64\","
                + "\"primaryKey\":true},{\"name\":\"b\",\"type\":\"Int64\",\"primaryKey\":true}]}");
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.json().get("detail").stringValue()).contains("exactly one primary-key column");
    }

    @Test
    void unknownColumnTypeIsRefusedNamingTheColumn() {
        Reply reply = post("/tables", "{\"name\":\"typo\",\"columns\":[{\"name\":\"id\",\"type\":\"Int65\","
                + "\"primaryKey\":true}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_type");
        assertThat(reply.json().get("detail").stringValue()).contains("'id'").contains("Int65");
    }

    @Test
    void columnsOfTheWrongShapeAreInvalidRequest() {
        Reply reply = post("/tables", "{\"name\":\"shape\",\"columns\":\"id\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
    }

    @Test
    void badDurabilityIsRefusedAndCreatesNothing() {
        Reply reply = post("/tables?durability=eventually", "{\"name\":\"durable\",\"columns\":[{\"name\":\"id\","
                + "\"type\":\"Int64\",\"primaryKey\":true}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("invalid_request");
        assertThat(get("/tables/durable").status()).isEqualTo(404);
        assertThat(post("/tables?durability=sync", "{\"name\":\"durable\",\"columns\":[{\"name\":\"id\","
                + "\"type\":\"Int64\",\"primaryKey\":true}]}").status()).isEqualTo(201);
    }
}
