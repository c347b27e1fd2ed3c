package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.FailingWalFiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * Contract point 8 over HTTP: once a log write fails (a full disk), the write that hit it and every later one are
 * refused with 503 {@code writes_stopped} naming the cause, even after the disk recovers; reads go on; health and the
 * {@code wal} component report DOWN.
 */
class LogFailureHttpTest extends HttpTestSupport {
    @TestConfiguration
    static class FullDisk {
        @Bean
        FailingWalFiles walFiles() {
            return new FailingWalFiles();
        }
    }

    @Autowired
    FailingWalFiles files;

    @Test
    void aFailedLogWriteStopsWritesWith503ButReadsGoOnAndHealthIsDown() throws Exception {
        createTable("kept", "id Int64 key, v Utf8");
        assertThat(post("/tables/kept/rows", "{\"id\":1,\"v\":\"before\"}").status()).isEqualTo(201);

        files.failWrites.set(true);
        Reply hit = post("/tables/kept/rows", "{\"id\":2,\"v\":\"lost\"}");
        files.failWrites.set(false);
        assertStopped(hit);
        assertStopped(post("/tables/kept/rows", "{\"id\":3,\"v\":\"later\"}"));
        assertStopped(post("/batch", "{\"ops\":[{\"op\":\"delete\",\"table\":\"kept\",\"key\":1}]}"));
        assertStopped(post("/tables", "{\"name\":\"other\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\","
                + "\"primaryKey\":true}]}"));

        Reply row = get("/tables/kept/rows/1");
        assertThat(row.status()).isEqualTo(200);
        assertThat(row.json().get("v").asString()).isEqualTo("before");
        assertThat(get("/tables/kept/count").json().get("count").asLong()).isEqualTo(1);
        assertThat(get("/tables/kept/rows/2").status()).isEqualTo(404);

        Reply health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        JsonNode wal = health.json().path("components").path("wal");
        assertThat(wal.path("status").asString()).isEqualTo("DOWN");
        assertThat(wal.path("details").path("error").asString()).contains("No space left on device");
    }

    private static void assertStopped(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = reply.json();
        assertThat(problem.get("code").asString()).isEqualTo("writes_stopped");
        assertThat(problem.get("detail").asString()).contains("No space left on device");
    }
}
