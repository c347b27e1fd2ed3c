package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * JSON inserts and key reads skip Spring MVC's dispatch ({@link HotPathFilter}); every other shape of request to the
 * same paths still reaches the controller through Spring MVC, and both ways answer alike.
 */
class HotPathTest extends HttpTestSupport {
    private static final FilterChain SPRING_MVC = (request, response) -> {
        throw new AssertionError("the request went on to Spring MVC");
    };

    @Autowired
    HotPathFilter filter;

    @BeforeEach
    void table() {
        if (db.find("hot").isEmpty()) {
            createTable("hot", "id Int64 key, name Utf8");
            createTable("texts", "k Utf8 key, n Int32");
        }
    }

    @Test
    void jsonInsertAndKeyReadAreServedWithoutSpringMvc() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        MockHttpServletRequest insert = new MockHttpServletRequest("POST", "/tables/hot/rows") {
            @Override
            public AsyncContext startAsync() {
                AsyncContext async = super.startAsync();
                async.addListener(new AsyncListener() { // answered once the writer has acknowledged the insert
                    @Override
                    public void onComplete(AsyncEvent event) {
                        answered.countDown();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
                return async;
            }
        };
        insert.setContentType("application/json");
        insert.setContent("{\"id\":1,\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        insert.setAsyncSupported(true);
        MockHttpServletResponse inserted = new MockHttpServletResponse();
        filter.doFilter(insert, inserted, SPRING_MVC);
        assertThat(answered.await(30, TimeUnit.SECONDS)).as("answered").isTrue();
        assertThat(inserted.getStatus()).as(inserted.getContentAsString()).isEqualTo(201);
        assertThat(inserted.getHeader("MathDB-LSN")).isNotBlank();
        assertThat(JSON.readTree(inserted.getContentAsString()).get("rows").asLong()).isEqualTo(1);

        MockHttpServletResponse read = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/tables/hot/rows/1"), read, SPRING_MVC);
        assertThat(read.getStatus()).isEqualTo(200);
        assertThat(read.getContentAsString()).isEqualTo("{\"id\":1,\"name\":\"a\"}");
    }

    @Test
    void errorsOnTheHotPathAreTheSameProblems() {
        post("/tables/hot/rows", "{\"id\":2,\"name\":\"b\"}");
        Reply duplicate = post("/tables/hot/rows", "{\"id\":2,\"name\":\"b\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
        assertThat(duplicate.json().get("code").asString()).isEqualTo("duplicate_key");
        assertThat(duplicate.json().get("instance").asString()).isEqualTo("/tables/hot/rows");

        Reply missing = get("/tables/hot/rows/999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asString()).isEqualTo("no_such_row");

        Reply noTable = get("/tables/nope/rows/1");
        assertThat(noTable.json().get("code").asString()).isEqualTo("no_such_table");
        Reply badKey = get("/tables/hot/rows/abc");
        assertThat(badKey.status()).isEqualTo(400);
    }

    @Test
    void otherShapesGoThroughSpringMvcToTheSameController() {
        Reply csv = send("GET", "/tables/hot/rows/1", null, null, "Accept", "text/csv");
        assertThat(csv.status()).isEqualTo(406);
        assertThat(csv.json().get("code").asString()).isEqualTo("not_acceptable");

        Reply charset = send("POST", "/tables/hot/rows", "{\"id\":3,\"name\":\"c\"}", "application/json; charset=UTF-8");
        assertThat(charset.status()).isEqualTo(201);

        Reply trailingSlash = get("/tables/hot/rows/3/");
        assertThat(trailingSlash.status()).isEqualTo(404);
    }

    @Test
    void keysInThePathAreDecodedAsSpringDecodesThem() {
        // %XX is decoded, a '+' stays a plus (it means a space only in query strings)
        assertThat(post("/tables/texts/rows", "{\"k\":\"a b+c\u00e9\",\"n\":2}").status()).isEqualTo(201);
        Reply read = get("/tables/texts/rows/a%20b+c%C3%A9");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("n").asInt()).isEqualTo(2);
    }

    @Test
    void requestMetricsNameTheRouteOfHotPathRequests() {
        post("/tables/hot/rows", "{\"id\":4,\"name\":\"d\"}");
        get("/tables/hot/rows/4");
        String scrape = send("GET", "/actuator/prometheus", null, null, "Accept", "text/plain").body();
        assertThat(scrape).contains("uri=\"/tables/{table}/rows\"").contains("uri=\"/tables/{table}/rows/{key}\"");
        // an insert is answered after the request thread has left (asynchronously): still timed, with its status
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*"
                + "status=\"201\"[^}]*uri=\"/tables/\\{table}/rows\"");
    }
}
