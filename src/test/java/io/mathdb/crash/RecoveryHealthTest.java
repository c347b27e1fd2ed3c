package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A service replaying a long log is up but not ready: health shows the recovery component with its progress, and
 * readiness turns UP once every record is replayed, with the count in the report. The service runs outside the
 * repository, so only the settings built into it hold: an orchestrator must not route to it while it replays,
 * wherever the jar is started.
 */
class RecoveryHealthTest {
    private static final long RECORDS = 300_001; // the table, then one per row

    @TempDir
    Path tmp;

    @Test
    void healthShowsRecoveryProgressAndReadinessIsUpWithEveryRecordReplayed() throws Exception {
        Path dir = tmp.resolve("data");
        LongLog.write(dir, RECORDS);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere")); // no config/application.yml here
        try (ServiceProcess child = ServiceProcess.start(elsewhere, "io.mathdb.MathDbApplication", List.of(), dir)) {
            List<JsonNode> recovering = new ArrayList<>();
            JsonNode up = null;
            long deadline = System.nanoTime() + ServiceProcess.START_LIMIT.toNanos();
            while (up == null) {
                assertThat(child.isAlive()).as(child::logTail).isTrue();
                assertThat(System.nanoTime()).as("ready within %s", ServiceProcess.START_LIMIT).isLessThan(deadline);
                int readiness = child.client.tryGet("/actuator/health/readiness"); // asked first: see below
                ServiceClient.Reply health;
                try {
                    health = child.client.send("GET", "/actuator/health", null);
                } catch (java.io.IOException notListeningYet) {
                    ServiceProcess.pause(Duration.ofMillis(20));
                    continue;
                }
                JsonNode recovery = health.json().path("components").path("recovery");
                if (recovery.path("status").asString().equals("UP")) {
                    up = recovery;
                } else {
                    recovering.add(recovery);
                    // still replaying now, so it was when readiness answered
                    assertThat(readiness).as("readiness while the log replays").isIn(-1, 503);
                    ServiceProcess.pause(Duration.ofMillis(20));
                }
            }
            assertThat(up.path("details").path("recordsReplayed").asLong()).isEqualTo(RECORDS);
            assertThat(up.path("details").path("snapshotLsn").asLong()).isZero();
            assertThat(up.path("details").path("lastLsn").asLong()).isEqualTo(RECORDS);
            assertThat(child.client.get("/actuator/health/readiness").status()).isEqualTo(200);

            long replayed = 0;
            for (JsonNode seen : recovering) { // whatever moments the polling happened to catch
                assertThat(seen.path("status").asString()).isIn("OUT_OF_SERVICE");
                assertThat(seen.path("details").path("phase").asString()).isIn("loading_snapshot", "replaying_log");
                long now = seen.path("details").path("recordsReplayed").asLong();
                assertThat(now).as("progress never goes back").isBetween(replayed, RECORDS);
                assertThat(seen.path("details").path("bytesRead").asLong()).isNotNegative();
                replayed = now;
            }
            assertThat(child.client.count("big")).isEqualTo(RECORDS - 1);
        }
    }
}
