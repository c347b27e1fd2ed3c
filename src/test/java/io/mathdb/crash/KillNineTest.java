package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a child JVM, killed with {@code SIGKILL} under concurrent HTTP writes and restarted on the same
 * directory, three times over: every acknowledged write is there after each restart, and each client's rows are a
 * prefix of what it sent (contract points 1 and 6). Acknowledged means handed to the OS, not fsynced: the page cache
 * outlives the process.
 */
class KillNineTest {
    private static final int CLIENTS = 8;
    private static final int ACKS_PER_RUN = 400;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKillNineAndTheStateIsAPrefixPerClient() throws Exception {
        Path dir = tmp.resolve("data");
        AckedWrites writes = new AckedWrites("acks", "", CLIENTS);
        try (ServiceProcess first = ServiceProcess.startReady(dir)) {
            first.client.createAckTable("acks");
            assertThat(writes.writeUntil(first.client, ACKS_PER_RUN, first::kill9)).as("refusals").isEmpty();
        }
        for (int restart = 1; restart <= 3; restart++) {
            try (ServiceProcess child = ServiceProcess.startReady(dir)) {
                writes.assertRecoveredPrefix(child.client);
                if (restart < 3) {
                    assertThat(writes.writeUntil(child.client, ACKS_PER_RUN, child::kill9)).as("refusals").isEmpty();
                }
            }
        }
        assertThat(writes.totalAcks()).isGreaterThanOrEqualTo(3L * ACKS_PER_RUN);
    }
}
