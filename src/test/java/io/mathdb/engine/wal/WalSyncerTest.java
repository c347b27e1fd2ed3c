package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.ROW_WRITES;
import static io.mathdb.engine.wal.WalFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WalSyncerTest {

    private static final int CLIENTS = 32;

    @TempDir
    Path dir;

    private final FaultyFiles files = new FaultyFiles();

    private WalWriter open() throws IOException {
        return WalWriter.open(dir, 1, WalOptions.defaults().withFiles(files));
    }

    @Test
    void concurrentDurabilityWaitersShareSyncs() throws Exception {
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        // Hold the first fsync until every client is waiting, as a slow disk would.
        CountDownLatch gate = new CountDownLatch(1);
        files.forceGate = gate;
        CountDownLatch registered = new CountDownLatch(CLIENTS);
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ZERO)) {
            long syncsBefore = writer.stats().syncs();
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                results.add(clients.submit(() -> {
                    long lsn = writerThread.submit(() -> writer.append(ROW_WRITES, List.of(payload(1)))).get();
                    CompletableFuture<Long> durable = syncer.awaitDurable(lsn);
                    registered.countDown();
                    long covered = durable.get();
                    assertTrue(covered >= lsn);
                    return lsn;
                }));
            }
            registered.await();
            gate.countDown();
            for (Future<Long> result : results) {
                assertTrue(result.get() <= writer.durableLsn());
            }
            long syncs = writer.stats().syncs() - syncsBefore;
            assertTrue(syncs >= 1 && syncs < CLIENTS, "syncs: " + syncs);
        } finally {
            files.forceGate = null;
            clients.shutdownNow();
            writerThread.shutdownNow();
        }
    }

    @Test
    void flushReturnsAtLeastEveryLsnAppendedBeforeIt() throws IOException {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ofDays(1))) {
            for (int round = 1; round <= 5; round++) {
                long lsn = writer.append(ROW_WRITES, List.of(payload(round), payload(round + 1)));
                assertTrue(syncer.flush() >= lsn);
                assertEquals(lsn, writer.durableLsn());
            }
            assertEquals(writer.lastLsn(), syncer.flush(), "a flush with nothing new returns at once");
        }
    }

    @Test
    void awaitingAnAlreadyDurableLsnCompletesAtOnce() throws IOException {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ZERO)) {
            long lsn = writer.append(ROW_WRITES, List.of(payload(1)));
            writer.sync();
            assertTrue(syncer.awaitDurable(lsn).isDone());
        }
    }

    @Test
    void throttleWaitsForSyncWhenLagExceedsTheInterval() throws IOException {
        Duration interval = Duration.ofMillis(1);
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, interval, false)) {
            long lsn = writer.append(ROW_WRITES, List.of(payload(1)));
            while (syncer.lagNanos() <= interval.toNanos()) {
                Thread.onSpinWait(); // the clock, not another thread, has to move on
            }

            syncer.throttle();

            assertEquals(lsn, writer.durableLsn());
            assertEquals(0, syncer.lagNanos());
        }
    }

    @Test
    void throttleDoesNothingWhileLagIsWithinTheInterval() throws IOException {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ofDays(1))) {
            writer.append(ROW_WRITES, List.of(payload(1)));
            syncer.throttle();
            assertEquals(0, writer.durableLsn());
        }
    }

    @Test
    void throttleIsOffWithZeroInterval() throws IOException {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ZERO)) {
            writer.append(ROW_WRITES, List.of(payload(1)));
            syncer.throttle();
            assertEquals(0, writer.durableLsn());
        }
    }

    @Test
    @Timeout(30) // a guard against a broken timer hanging the build, not a timing assertion
    void timerSyncsUnsyncedWritesWithoutARequest() throws IOException {
        try (WalWriter writer = open(); WalSyncer syncer = new WalSyncer(writer, Duration.ofMillis(5))) {
            long lsn = writer.append(ROW_WRITES, List.of(payload(1)));
            while (writer.durableLsn() < lsn) {
                Thread.onSpinWait();
            }
            assertTrue(syncer.stats().syncs() >= 1);
        }
    }

    @Test
    void closingTheSyncerMakesEverythingDurable() throws IOException {
        try (WalWriter writer = open()) {
            WalSyncer syncer = new WalSyncer(writer, Duration.ZERO);
            long lsn = writer.append(ROW_WRITES, List.of(payload(1), payload(2)));
            syncer.close();
            assertEquals(lsn, writer.durableLsn());
            WalStats stats = syncer.stats();
            assertEquals(2, stats.recordsAppended());
            assertTrue(stats.syncs() >= 1 && stats.syncNanos() > 0);
        }
    }
}
