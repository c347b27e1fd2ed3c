package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery can itself be killed (an impatient orchestrator, the OOM killer). A database killed with {@code SIGKILL}
 * part-way through replaying a long log that ends in a torn record, and again the moment it is ready, starts a third
 * time (as the service) with every complete record, and the next write takes the torn record's LSN (contract
 * points 6 and 7). The first two children run the engine alone ({@link RecoveringMain}), which starts fast enough
 * to be caught mid-replay.
 */
class KilledDuringRecoveryTest {
    private static final long RECORDS = 600_001; // the table, then one per row

    @TempDir
    Path tmp;

    @Test
    void aDatabaseKilledWhileReplayingAndAgainWhenReadyRecoversEveryCompleteRecord() throws Exception {
        Path dir = tmp.resolve("data");
        LongLog.write(dir, RECORDS);
        cutLastBytes(newestSegment(dir.resolve("wal")), 3); // the last record (LSN RECORDS) is now torn

        try (ServiceProcess engine = startEngine(dir)) {
            // Progress counts staged inserts too, so it moves during this insert-only log; kill as soon as it has.
            awaitLine(engine, "REPLAYING_LOG", n -> n > 1000);
            engine.kill9();
            assertThat(engine.output()).as("killed before the replay ended").doesNotContain("READY");
        }
        try (ServiceProcess engine = startEngine(dir)) {
            awaitLine(engine, "READY", n -> true);
            engine.kill9();
        }
        try (ServiceProcess service = ServiceProcess.startReady(dir)) {
            assertThat(service.client.count("big")).isEqualTo(RECORDS - 2);
            long lastId = RECORDS - 3;
            assertThat(service.client.get("/tables/big/rows/" + lastId).json().get("v").asLong())
                    .isEqualTo(3 * lastId);
            ServiceClient.Reply next = service.client.call("POST", "/tables/big/rows?durability=sync",
                    "{\"id\":" + RECORDS + ",\"v\":1}");
            assertThat(next.status()).as(next.body()).isEqualTo(201);
            assertThat(next.json().get("lsn").asLong()).as("the torn record's LSN is the next one").isEqualTo(RECORDS);
        }
    }

    private static ServiceProcess startEngine(Path dir) {
        return ServiceProcess.start(RecoveringMain.class.getName(), List.of(), dir);
    }

    /**
     * Polls the child's output until its latest complete line starts with {@code prefix} and the number after it
     * passes {@code wanted}. A {@code FAILED} line, or {@code READY} while waiting for something else, fails the
     * test at once. The child prints a line every millisecond or so.
     */
    private static void awaitLine(ServiceProcess child, String prefix, LongPredicate wanted) {
        long deadline = System.nanoTime() + ServiceProcess.START_LIMIT.toNanos();
        while (true) {
            String output = child.output();
            String complete = output.substring(0, output.lastIndexOf('\n') + 1);
            assertThat(complete).as("recovery failed").doesNotContain("FAILED");
            if (!prefix.equals("READY")) {
                assertThat(complete).as("recovery ended before '%s' was seen", prefix).doesNotContain("READY");
            }
            String[] lines = complete.split("\n");
            String last = lines[lines.length - 1];
            if (last.startsWith(prefix)) {
                String[] words = last.split(" ");
                if (wanted.test(words.length > 1 ? Long.parseLong(words[1]) : 0)) {
                    return;
                }
            }
            assertThat(child.isAlive()).as(child::logTail).isTrue();
            assertThat(System.nanoTime()).as("'%s' within %s", prefix, ServiceProcess.START_LIMIT)
                    .isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(2));
        }
    }

    private static Path newestSegment(Path walDir) throws Exception {
        try (Stream<Path> files = Files.list(walDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("wal-")).max(Path::compareTo).orElseThrow();
        }
    }

    private static void cutLastBytes(Path file, int bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }
}
