package io.mathdb.web.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.query.ResultColumn;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The read path over real HTTP, with the whole service on a random port and its data in a fresh directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mathdb.query.timeout=1s", "mathdb.query.max-page-size=4", "mathdb.query.max-json-rows=3"})
@DirtiesContext
class ReadHttpTest {
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;
    @Autowired
    Database db;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("mathdb.data-dir", () -> {
            try {
                Path root = Files.createDirectories(Path.of("target", "test-data"));
                return Files.createTempDirectory(root, "mathdb-read-").toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @BeforeEach
    void load() {
        db.ready().join();
        if (db.find("people").isPresent()) {
            return;
        }
        db.create(TableSchema.of("people", Column.key("id", ColumnType.parse("Int64")),
                Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32")),
                Column.of("seen", ColumnType.parse("Datetime")), Column.of("price", ColumnType.parse("Decimal(10,2)")),
                Column.of("big", ColumnType.parse("UInt64")), Column.of("data", ColumnType.parse("Binary")),
                Column.of("born", ColumnType.parse("Date")), Column.of("score", ColumnType.parse("Float32")),
                Column.of("ok", ColumnType.parse("Boolean"))));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("id", i);
            r.put("name", i == 6 ? "Eve, \"the\" spy\nnext line" : "p" + i);
            r.put("age", i == 4 ? null : 10 * i);
            r.put("seen", "2024-01-3" + (i % 2) + "T12:00:00");
            r.put("price", i + ".50");
            r.put("big", new BigInteger("18446744073709551600").add(BigInteger.valueOf(i)));
            r.put("data", i == 3 ? null : "AQID");
            r.put("born", "2000-01-0" + i);
            r.put("score", new java.math.BigDecimal("0.25").multiply(java.math.BigDecimal.valueOf(i)));
            r.put("ok", i % 2 == 0);
            rows.add(r);
        }
        db.table("people").insert(rows, OnConflict.ERROR, Durability.DEFAULT);
        db.create(TableSchema.of("nums", Column.key("n", ColumnType.parse("Int64"))));
        List<Map<String, Object>> nums = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            nums.add(Map.of("n", i));
        }
        db.table("nums").insert(nums, OnConflict.ERROR, Durability.DEFAULT);
    }

    record Reply(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body());
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String code() {
            return json().get("code").asString();
        }
    }

    Reply get(String pathAndQuery, String accept, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply query(String sql, String accept, Object... params) {
        Map<String, Object> body = new HashMap<>();
        body.put("sql", sql);
        body.put("params", List.of(params));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b.build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void filteredReadIsAJsonArrayWithMathDbValueForms() {
        Reply r = get("/tables/people/rows?age=gte.20&name=like." + q("p*") + "&order=age.desc&limit=2", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode rows = r.json();
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get("id").asLong()).isEqualTo(5);
        assertThat(first.get("seen").asString()).isEqualTo("2024-01-31T12:00:00.000000");
        assertThat(first.get("price").decimalValue()).isEqualByComparingTo("5.50");
        assertThat(r.body()).contains("\"price\":5.50").contains("\"big\":18446744073709551605")
                .contains("\"data\":\"AQID\"").contains("\"born\":\"2000-01-05\"").contains("\"score\":1.25");
    }

    @Test
    void maxPageSizeAppliesWithoutALimitAndCountGivesContentRange() {
        Reply page = get("/tables/people/rows", null, "Prefer", "count=exact");
        assertThat(page.json()).hasSize(4);
        assertThat(page.header("Content-Range")).isEqualTo("0-3/6");
        Reply second = get("/tables/people/rows?offset=4", null, "Prefer", "count=exact");
        assertThat(second.header("Content-Range")).isEqualTo("4-5/6");
        assertThat(get("/tables/people/rows?id=gt.100", null, "Prefer", "count=exact").header("Content-Range"))
                .isEqualTo("*/0");
        assertThat(get("/tables/people/rows?limit=10", null).json()).hasSize(6);
        assertThat(get("/tables/people/rows", null).header("Content-Range")).isNull();
    }

    @Test
    void orFiltersAndAggregatesWorkOverHttp() {
        JsonNode rows = get("/tables/people/rows?or=" + q("(age.lt.20,age.is.null)") + "&select=id", null).json();
        assertThat(rows.toString()).isEqualTo("[{\"id\":1},{\"id\":4}]");
        JsonNode groups = get("/tables/people/rows?select=ok,age.avg(),n:id.count()&order=ok", null).json();
        assertThat(groups.toString()).isEqualTo("[{\"ok\":false,\"avg\":30.0,\"n\":3},{\"ok\":true,\"avg\":40.0,\"n\":3}]");
    }

    @Test
    void csvAndNdjsonFollowAccept() {
        Reply csv = get("/tables/people/rows?select=id,name,age,seen&id=in.(4,6)", "text/csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body()).isEqualTo("id,name,age,seen\r\n4,p4,,2024-01-30T12:00:00.000000\r\n"
                + "6,\"Eve, \"\"the\"\" spy\nnext line\",60,2024-01-30T12:00:00.000000\r\n");
        Reply nd = get("/tables/people/rows?select=id,price&id=lte.2", "application/x-ndjson");
        assertThat(nd.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(nd.body()).isEqualTo("{\"id\":1,\"price\":1.50}\n{\"id\":2,\"price\":2.50}\n");
        assertThat(get("/tables/people/rows?id=eq.1", "application/xml, text/csv;q=0.5").header("Content-Type"))
                .startsWith("text/csv");
    }

    @Test
    void unsupportedAcceptIsNotAcceptable() {
        assertThat(get("/tables/people/rows", "application/xml").status()).isEqualTo(406);
        assertThat(query("SELECT 1", "image/png").status()).isEqualTo(406);
    }

    @Test
    void badParametersAreBadRequestsNamingTheParameterAndUnknownTableIsNotFound() {
        Reply bad = get("/tables/people/rows?age=gt.old", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("age=gt.old");
        assertThat(get("/tables/people/rows?nope=eq.1", null).status()).isEqualTo(400);
        assertThat(get("/tables/people/rows?order=age.up", null).status()).isEqualTo(400);
        assertThat(get("/tables/people/rows?limit=-3", null).status()).isEqualTo(400);
        assertThat(get("/tables/nope/rows", null).status()).isEqualTo(404);
        assertThat(get("/tables/people/export?format=xlsx", null).status()).isEqualTo(400);
    }

    @Test
    void queryAnswersWithColumnsAndRowsAndCapsJson() {
        Reply r = query("SELECT name, age, price, seen FROM people WHERE age > ? ORDER BY age", null, 15);
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("columns").toString()).isEqualTo("[{\"name\":\"name\",\"type\":\"Utf8\"},"
                + "{\"name\":\"age\",\"type\":\"Int32\"},{\"name\":\"price\",\"type\":\"Decimal(10,2)\"},"
                + "{\"name\":\"seen\",\"type\":\"Datetime\"}]");
        assertThat(body.get("rows")).hasSize(3);
        assertThat(body.get("rows").get(0).toString()).isEqualTo("[\"p2\",20,2.50,\"2024-01-30T12:00:00.000000\"]");
        assertThat(body.get("truncated").asBoolean()).isTrue();
        assertThat(query("SELECT count(*) AS n FROM people", null).json().get("truncated").asBoolean()).isFalse();
    }

    @Test
    void queryAnswersInCsvNdjsonAndParquet() throws Exception {
        assertThat(query("SELECT id FROM people WHERE id < 3 ORDER BY id", "text/csv").body())
                .isEqualTo("id\r\n1\r\n2\r\n");
        assertThat(query("SELECT id FROM people WHERE id < 3 ORDER BY id", "application/x-ndjson").body())
                .isEqualTo("{\"id\":1}\n{\"id\":2}\n");
        Reply parquet = query("SELECT id, price FROM people WHERE id > ?", "application/vnd.apache.parquet", 4);
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.header("Content-Type")).isEqualTo("application/vnd.apache.parquet");
        List<Object[]> rows = readParquet(parquet.bytes(), "SELECT id, price FROM t ORDER BY id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(5L, new java.math.BigDecimal("5.50"));
    }

    @Test
    void refusedAndFailingQueriesAreBadRequests() {
        for (String sql : List.of("DELETE FROM people", "SELECT * FROM read_csv('/etc/passwd')", "SELECT 1; SELECT 2",
                "WITH x AS (DELETE FROM people RETURNING id) SELECT * FROM x", "ATTACH ':memory:' AS m")) {
            Reply r = query(sql, null);
            assertThat(r.status()).as(sql).isEqualTo(400);
            assertThat(r.body()).as(sql).contains("query_refused");
        }
        assertThat(query("SELEC 1", null).body()).contains("invalid_sql");
        assertThat(db.table("people").count()).isEqualTo(6);
    }

    @Test
    void queryPastTheTimeLimitIsStoppedWithAClearError() {
        Reply r = query("SELECT count(*) FROM nums a, nums b, nums c, nums d WHERE (a.n * b.n + c.n - d.n) % 7 = ?", null, 3);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("query_timeout").contains("mathdb.query.timeout");
    }

    @Test
    void parquetExportDownloadedOverHttpEqualsTheTable() throws Exception {
        Reply r = get("/tables/people/export?format=parquet", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/vnd.apache.parquet");
        assertThat(Long.parseLong(r.header("MathDB-LSN"))).isPositive();
        assertThat(r.header("Content-Disposition")).contains("people.parquet");
        List<Object[]> exported = readParquet(r.bytes(), "SELECT * FROM t ORDER BY id");
        assertThat(exported).hasSize(6);
        List<String> names = db.schema("people").columns().stream().map(Column::name).toList();
        for (Object[] row : exported) {
            Map<String, Object> stored = db.table("people").get(row[0]).orElseThrow();
            for (int i = 0; i < names.size(); i++) {
                Object expected = stored.get(names.get(i));
                if (expected instanceof byte[] b) {
                    assertThat((byte[]) row[i]).containsExactly(b);
                } else {
                    assertThat(row[i]).as(names.get(i)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void csvAndNdjsonExportsCarryTheLsnAndTakeFilters() {
        Reply csv = get("/tables/people/export?format=csv&id=lte.2&select=id,name", null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("MathDB-LSN")).isNotNull();
        assertThat(csv.body()).isEqualTo("id,name\r\n1,p1\r\n2,p2\r\n");
        Reply nd = get("/tables/nums/export?format=ndjson&n=lt.3&order=n", null);
        assertThat(nd.body()).isEqualTo("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
    }

    /** Reads a Parquet answer with DuckDB, values in the engine's canonical classes. */
    private static List<Object[]> readParquet(byte[] bytes, String select) throws Exception {
        Path file = Files.createTempFile("answer", ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            Files.write(file, bytes);
            st.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(select)) {
                List<ResultColumn> columns = ResultColumn.of(rs.getMetaData());
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = columns.get(i).read(rs, i + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
