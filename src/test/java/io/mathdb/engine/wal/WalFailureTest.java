package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.ROW_WRITES;
import static io.mathdb.engine.wal.WalFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first failed write or fsync is final: nothing is written or acknowledged after it. */
class WalFailureTest {

    @TempDir
    Path dir;

    private final FaultyFiles files = new FaultyFiles();

    private WalWriter open() throws IOException {
        return WalWriter.open(dir, 1, WalOptions.defaults().withFiles(files));
    }

    @Test
    void failedWriteStopsEveryLaterAppendAndSync() throws IOException {
        try (WalWriter writer = open()) {
            writer.append(ROW_WRITES, List.of(payload(1), payload(2)));
            files.failWrites = true;

            WalFailedException first = assertThrows(WalFailedException.class,
                    () -> writer.append(ROW_WRITES, List.of(payload(3))));
            assertInstanceOf(IOException.class, first.getCause());
            assertEquals(dir.resolve("wal-0000000000000001.log"), first.file());

            files.failWrites = false; // the disk has room again; the log stays failed
            int writesSoFar = files.writes.get();
            long sizeSoFar = Files.size(first.file());
            assertSame(first, assertThrows(WalFailedException.class,
                    () -> writer.append(ROW_WRITES, List.of(payload(3)))));
            assertSame(first, assertThrows(WalFailedException.class, writer::sync));
            assertEquals(writesSoFar, files.writes.get(), "no write was attempted after the failure");
            assertEquals(sizeSoFar, Files.size(first.file()));
            assertEquals(2, writer.lastLsn());
            assertTrue(writer.failure().isPresent());
        }
        assertEquals(2, WalFixtures.replayAll(dir, 0).size());
    }

    @Test
    void failedForceIsNeverRetriedAndDurableLsnStays() throws IOException {
        try (WalWriter writer = open()) {
            writer.append(ROW_WRITES, List.of(payload(1)));
            writer.sync();
            writer.append(ROW_WRITES, List.of(payload(2)));
            files.failForces = true;

            WalFailedException first = assertThrows(WalFailedException.class, writer::sync);
            files.failForces = false;
            int forcesSoFar = files.forces.get();
            int writesSoFar = files.writes.get();

            assertSame(first, assertThrows(WalFailedException.class, writer::sync));
            assertSame(first, assertThrows(WalFailedException.class,
                    () -> writer.append(ROW_WRITES, List.of(payload(3)))));
            assertEquals(forcesSoFar, files.forces.get(), "the failed fsync was not retried");
            assertEquals(writesSoFar, files.writes.get());
            assertEquals(1, writer.durableLsn());
        }
    }

    @Test
    void failedForceFailsDurabilityWaiters() throws Exception {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ZERO)) {
            long lsn = writer.append(ROW_WRITES, List.of(payload(1)));
            files.failForces = true;

            CompletableFuture<Long> waiter = syncer.awaitDurable(lsn);

            ExecutionException e = assertThrows(ExecutionException.class, waiter::get);
            assertInstanceOf(WalFailedException.class, e.getCause());
            assertThrows(WalFailedException.class, syncer::flush);
            assertTrue(syncer.awaitDurable(lsn).isCompletedExceptionally());
            assertEquals(0, writer.durableLsn());
        }
    }

    @Test
    void failedForceAtSegmentRollStopsTheAppendThatRolled() throws IOException {
        try (WalWriter writer = WalWriter.open(dir, 1, WalFixtures.options(128).withFiles(files))) {
            writer.append(ROW_WRITES, List.of(new byte[60]));
            files.failForces = true;

            assertThrows(WalFailedException.class, () -> writer.append(ROW_WRITES, List.of(new byte[60])));

            assertEquals(1, writer.segmentCount(), "no segment was created after the failed fsync");
            assertEquals(1, writer.lastLsn());
        }
    }
}
