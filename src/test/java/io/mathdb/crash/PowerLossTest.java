package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?durability=sync} writes under a simulated power cut: the child journals each fsync of the log
 * ({@link RecordingWalFiles}); after {@code kill -9} the parent drops what the disk never promised to keep
 * ({@link PowerLoss}) and restarts. Every sync-acknowledged write survives, and the state is a prefix per client
 * (contract points 3 and 6).
 */
class PowerLossTest {
    private static final int CLIENTS = 8;
    private static final int ACKS_PER_RUN = 300;

    @TempDir
    Path tmp;

    @Test
    void syncAcknowledgedWritesSurviveLosingEveryUnsyncedByte() throws Exception {
        crashAndRestart(null);
    }

    @Test
    void syncAcknowledgedWritesSurviveLosingARandomPartOfTheUnsyncedBytes() throws Exception {
        crashAndRestart(new Random(20261124));
    }

    private void crashAndRestart(Random partly) throws Exception {
        Path dir = tmp.resolve("data");
        AckedWrites writes = new AckedWrites("acks", "?durability=sync", CLIENTS);
        for (int run = 0; run < 2; run++) {
            Path journal = tmp.resolve("fsyncs-" + run + ".log");
            try (ServiceProcess child = startRecording(dir, journal)) {
                if (run == 0) {
                    child.client.createAckTable("acks");
                } else {
                    writes.assertRecoveredPrefix(child.client);
                }
                if (run == 0) { // one crash per variant: each child JVM costs seconds
                    assertThat(writes.writeUntil(child.client, ACKS_PER_RUN, child::kill9)).as("refusals").isEmpty();
                    String lost = PowerLoss.cut(dir.resolve("wal"), journal, partly);
                    assertThat(lost).as("the journal saw the run's segment").isNotEmpty();
                }
            }
        }
    }

    /** The service with its log's fsyncs journalled to {@code journal}, ready. */
    static ServiceProcess startRecording(Path dir, Path journal, String... args) {
        return ServiceProcess.start(RecordingServiceMain.class.getName(),
                List.of("-D" + RecordingServiceMain.JOURNAL + "=" + journal.toAbsolutePath()), dir, args)
                .awaitReady();
    }
}
