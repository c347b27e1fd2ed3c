package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Flush, snapshot and status over HTTP, with a flush interval of zero so only explicit flushes fsync. */
@TestPropertySource(properties = "mathdb.wal.flush-interval=0")
class AdminEndpointsTest extends HttpTestSupport {

    @Test
    void flushMakesEveryAcknowledgedWriteDurable() {
        post("/tables", "{\"name\":\"f\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\",\"primaryKey\":true}]}");
        long lsn = post("/tables/f/rows", "{\"id\":1}").lsn();
        assertThat(get("/admin/status").json().get("durableLsn").asLong()).isLessThan(lsn);
        Reply flushed = post("/admin/flush", null);
        assertThat(flushed.status()).isEqualTo(200);
        assertThat(flushed.json().get("durableLsn").asLong()).isGreaterThanOrEqualTo(lsn);
    }

    @Test
    void snapshotIsConsistentAtTheCurrentLsnAndShowsInStatus() {
        post("/tables", "{\"name\":\"s\",\"columns\":[{\"name\":\"id\",\"type\":\"Int64\",\"primaryKey\":true}]}");
        long lsn = post("/tables/s/rows", "{\"id\":1}").lsn();
        Reply snap = post("/admin/snapshot", null);
        assertThat(snap.status()).isEqualTo(200);
        assertThat(snap.json().get("lsn").asLong()).isGreaterThanOrEqualTo(lsn);
        JsonNode status = get("/admin/status").json();
        assertThat(status.get("lastSnapshot").get("lsn").asLong()).isEqualTo(snap.json().get("lsn").asLong());
        assertThat(status.get("segmentCount").asInt()).isPositive();
        assertThat(status.get("recovery").get("recordsReplayed").asLong()).isZero();
        assertThat(status.get("writesStopped").isNull()).isTrue();
    }

    @Test
    void healthShowsRecoveryAndReadiness() {
        JsonNode health = get("/actuator/health").json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("recovery").get("details").has("recordsReplayed")).isTrue();
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void prometheusScrapeHasTheLogMeters() {
        createTable("metered", "id Int64 key, note Utf8");
        assertThat(post("/tables/metered/rows", "[{\"id\":1,\"note\":\"a\"},{\"id\":2,\"note\":\"b\"}]").status())
                .isEqualTo(201);
        assertThat(get("/tables/metered/count").json().get("count").longValue()).isEqualTo(2); // DuckDB has them
        Reply scrape = send("GET", "/actuator/prometheus", null, "text/plain");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("mathdb_wal_lsn_durable").contains("mathdb_recovery_records_total");
        assertThat(scrape.body()).containsPattern("(?m)^mathdb_store_memory_bytes [1-9]");
    }
}
