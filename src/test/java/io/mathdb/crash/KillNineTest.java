package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
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

    /**
     * The same under churn: 4 KB segments and a snapshot after every 16 KB of log (checked each second), keeping
     * one. Each child is killed, with the clients still writing, at a random moment within a second after it has
     * taken a snapshot of its own: segments roll all the time, and the kill falls anywhere in the snapshot cycle
     * (writing one, switching to it and deleting the log it covers, or between).
     */
    @Test
    void everyAcknowledgedWriteSurvivesKillNineWhileSegmentsRollAndSnapshotsReplaceThem() throws Exception {
        Path dir = tmp.resolve("churn");
        String[] churn = {"--mathdb.wal.segment-size=4KB", "--mathdb.snapshot.wal-bytes=16KB",
                "--mathdb.snapshot.retain=1"};
        AckedWrites writes = new AckedWrites("acks", "", CLIENTS);
        try (ServiceProcess first = ServiceProcess.startReady(dir, churn)) {
            first.client.createAckTable("acks");
            assertThat(writes.writeUntil(first.client, ACKS_PER_RUN, () -> killAfterASnapshot(first)))
                    .as("refusals").isEmpty();
        }
        for (int restart = 1; restart <= 2; restart++) {
            try (ServiceProcess child = ServiceProcess.startReady(dir, churn)) {
                writes.assertRecoveredPrefix(child.client);
                assertThat(writes.writeUntil(child.client, ACKS_PER_RUN, () -> killAfterASnapshot(child)))
                        .as("refusals").isEmpty();
            }
        }
        try (ServiceProcess last = ServiceProcess.startReady(dir, churn)) {
            writes.assertRecoveredPrefix(last.client);
        }
        assertThat(dir.resolve("wal").resolve("wal-0000000000000001.log")).as("covered segments were deleted")
                .doesNotExist();
    }

    /**
     * A table read by key has a copy in the heap, and writes to it are acknowledged once logged and on the copy,
     * before DuckDB has them (the writer's backlog), while snapshots (every 16 KB of log) wait for the backlog.
     * The child is killed the moment it reports such writes waiting: every acknowledged one is there after the
     * restart, which loads a snapshot and replays the log after it.
     */
    @Test
    void everyAcknowledgedWriteSurvivesKillNineWhileWritesWaitForDuckDb() throws Exception {
        Path dir = tmp.resolve("copied");
        AckedWrites writes = new AckedWrites("acks", "", CLIENTS);
        try (ServiceProcess first = ServiceProcess.startReady(dir, "--mathdb.snapshot.wal-bytes=16KB")) {
            first.client.createAckTable("acks");
            assertThat(first.client.get("/tables/acks/rows/0").status()).as("a read by key starts the copy")
                    .isEqualTo(404);
            assertThat(writes.writeUntil(first.client, ACKS_PER_RUN, () -> killWithWritesWaiting(first)))
                    .as("refusals").isEmpty();
        }
        try (ServiceProcess child = ServiceProcess.startReady(dir)) {
            assertThat(child.client.get("/admin/status").json().path("recovery").path("snapshotLsn").asLong())
                    .as("recovery started from a snapshot taken while writes waited").isPositive();
            writes.assertRecoveredPrefix(child.client);
        }
    }

    /** Waits for a first snapshot, then kills the child as soon as it reports writes waiting for DuckDB. */
    private static void killWithWritesWaiting(ServiceProcess child) {
        long deadline = System.nanoTime() + ServiceProcess.START_LIMIT.toNanos();
        while (child.client.get("/admin/status").json().path("lastSnapshot").path("lsn").asLong() == 0) {
            assertThat(System.nanoTime()).as("a snapshot within %s", ServiceProcess.START_LIMIT).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(50));
        }
        while (child.client.get("/admin/status").json().path("backlogRows").asLong() == 0) {
            assertThat(System.nanoTime()).as("writes waiting for DuckDB within %s", ServiceProcess.START_LIMIT)
                    .isLessThan(deadline);
        }
        child.kill9();
    }

    /**
     * Waits until the child reports a snapshot newer than the one it started with, then kills it after a random
     * pause of up to a second (the snapshot timer's period).
     */
    private static void killAfterASnapshot(ServiceProcess child) {
        long startedWith = child.client.get("/admin/status").json().path("recovery").path("snapshotLsn").asLong();
        long deadline = System.nanoTime() + ServiceProcess.START_LIMIT.toNanos();
        while (child.client.get("/admin/status").json().path("lastSnapshot").path("lsn").asLong() <= startedWith) {
            assertThat(System.nanoTime()).as("a snapshot within %s", ServiceProcess.START_LIMIT).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(50));
        }
        ServiceProcess.pause(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1000)));
        child.kill9();
    }
}
