package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes plain (not sync) writes durable when the timer does not: a clean shutdown, and an explicit flush
 * (contract points 4 and 5). Both are checked against a simulated power cut right after, which keeps only what was
 * fsynced; without it the page cache would hide a missing fsync.
 */
class CleanShutdownTest {
    private static final int CLIENTS = 4;

    @TempDir
    Path tmp;

    @Test
    void sigtermWithAnHourLongFlushIntervalLosesNothingAcknowledged() throws Exception {
        Path dir = tmp.resolve("data");
        AckedWrites writes = new AckedWrites("acks", "", CLIENTS);
        Path journal = tmp.resolve("fsyncs.log");
        try (ServiceProcess child = PowerLossTest.startRecording(dir, journal, "--mathdb.wal.flush-interval=1h")) {
            child.client.createAckTable("acks");
            int[] exit = new int[1];
            // SIGTERM while the clients write: a write is either refused or durable. MathDB refuses with 503; Tomcat,
            // stopping, may turn a request away before MathDB sees it (seen: a 400), with a problem all the same.
            List<ServiceClient.Reply> refusals = writes.writeUntil(child.client, 300,
                    () -> exit[0] = child.terminate());
            assertThat(refusals).as("refusals while shutting down").allSatisfy(reply -> {
                assertThat(reply.status()).as("%s", reply).isGreaterThanOrEqualTo(400);
                assertThat(reply.body()).as("%s", reply).startsWith("{").contains("\"code\":");
            });
            assertThat(child.output()).doesNotContain("Exception");
        }
        PowerLoss.cut(dir.resolve("wal"), journal, null);
        try (ServiceProcess child = ServiceProcess.startReady(dir)) {
            writes.assertRecoveredPrefix(child.client);
        }
    }

    @Test
    void zeroFlushIntervalWithAnExplicitFlushMakesEveryEarlierWriteSurvivePowerLoss() throws Exception {
        Path dir = tmp.resolve("data");
        AckedWrites writes = new AckedWrites("acks", "", CLIENTS);
        Path journal = tmp.resolve("fsyncs.log");
        long[][] beforeFlush = new long[1][];
        try (ServiceProcess child = PowerLossTest.startRecording(dir, journal, "--mathdb.wal.flush-interval=0")) {
            child.client.createAckTable("acks");
            List<ServiceClient.Reply> refusals = writes.writeUntil(child.client, 300, () -> {
                beforeFlush[0] = writes.lastAcked();
                ServiceClient.Reply flushed = child.client.call("POST", "/admin/flush", null);
                assertThat(flushed.status()).as(flushed.body()).isEqualTo(200);
                child.kill9();
            });
            assertThat(refusals).isEmpty();
        }
        PowerLoss.cut(dir.resolve("wal"), journal, null);
        try (ServiceProcess child = ServiceProcess.startReady(dir)) {
            writes.assertRecoveredPrefix(child.client, beforeFlush[0]);
        }
    }
}
