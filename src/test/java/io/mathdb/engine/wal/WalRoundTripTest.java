package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.ROW_WRITES;
import static io.mathdb.engine.wal.WalFixtures.options;
import static io.mathdb.engine.wal.WalFixtures.payload;
import static io.mathdb.engine.wal.WalFixtures.replayAll;
import static io.mathdb.engine.wal.WalFixtures.writeLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void appendedRecordsReplayInOrderAcrossSegmentRolls() throws IOException {
        List<WalRecord> written = writeLog(dir, 1, 200, 512);

        List<WalRecord> replayed = new ArrayList<>();
        WalReplay.Result result = WalReplay.replay(dir, 0, replayed::addAll);

        assertTrue(WalFixtures.segmentFiles(dir).size() > 5, "the log rolled several times");
        assertEquals(written, replayed);
        for (int i = 0; i < replayed.size(); i++) {
            assertEquals(i + 1, replayed.get(i).lsn(), "LSNs are consecutive from 1");
        }
        assertEquals(200, result.lastLsn());
        assertEquals(200, result.recordsReplayed());
        assertFalse(result.hadTornTail());
    }

    @Test
    void replayAfterLsnSkipsEarlierRecords() throws IOException {
        List<WalRecord> written = writeLog(dir, 1, 200, 512);

        assertEquals(written.subList(57, 200), replayAll(dir, 57));
        assertEquals(List.of(), replayAll(dir, 200));
    }

    @Test
    void aGroupNeverSpansTwoSegments() throws IOException {
        // 3 records of 40-byte payloads take 171 bytes: one group fits a 200-byte segment, two do not.
        try (WalWriter writer = WalWriter.open(dir, 1, options(200))) {
            assertEquals(3, writer.append(ROW_WRITES, List.of(new byte[40], new byte[40], new byte[40])));
            assertEquals(6, writer.append(ROW_WRITES, List.of(new byte[40], new byte[40], new byte[40])));
            assertEquals(List.of(1L, 4L), writer.segments().stream().map(SegmentInfo::firstLsn).toList());
        }
        assertEquals(6, replayAll(dir, 0).size());
    }

    @Test
    void anOversizedGroupGetsItsOwnSegment() throws IOException {
        try (WalWriter writer = WalWriter.open(dir, 1, options(100))) {
            writer.append(ROW_WRITES, List.of(payload(1)));
            writer.append(ROW_WRITES, List.of(new byte[500]));
            writer.append(ROW_WRITES, List.of(payload(3)));
            assertEquals(List.of(1L, 2L, 3L), writer.segments().stream().map(SegmentInfo::firstLsn).toList());
            assertEquals(Files.size(dir.resolve("wal-0000000000000002.log")), writer.segments().get(1).bytes());
        }
        assertArrayEquals(new byte[500], replayAll(dir, 0).get(1).payload());
    }

    @Test
    void segmentNamesSortInLsnOrder() {
        assertEquals("wal-0000000000000001.log", WalFormat.segmentFileName(1));
        List<Long> lsns = List.of(9L, 10L, 15L, 16L, 255L, 256L, 4096L, Long.MAX_VALUE);
        List<String> names = lsns.stream().map(WalFormat::segmentFileName).toList();
        assertEquals(names.stream().sorted().toList(), names);
        lsns.forEach(lsn -> assertEquals(lsn, WalFormat.parseSegmentFileName(WalFormat.segmentFileName(lsn))));
        assertEquals(-1, WalFormat.parseSegmentFileName("wal-000000000000000G.log"));
        assertEquals(-1, WalFormat.parseSegmentFileName("wal-0000000000000000.log"));
        assertEquals(-1, WalFormat.parseSegmentFileName("wal-1.log"));
    }

    @Test
    void workedExampleInStorageSpecIsWhatTheWriterWrites() throws IOException {
        try (WalWriter writer = WalWriter.open(dir, 1, WalOptions.defaults())) {
            writer.append((byte) 3, List.of("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        String expected = "4D57414C" + "00000001" + "0000000000000001" + "34448924"
                + "00000002" + "027AB8AB" + "0000000000000001" + "03" + "6869";
        byte[] bytes = Files.readAllBytes(dir.resolve("wal-0000000000000001.log"));
        assertEquals(expected, HexFormat.of().withUpperCase().formatHex(bytes));
    }

    @Test
    void emptyOrAbsentDirectoryReplaysNothing() throws IOException {
        WalReplay.Result absent = WalReplay.replay(dir.resolve("absent"), 5, batch -> {
            throw new AssertionError("no records expected");
        });
        assertEquals(5, absent.lastLsn());
        assertEquals(0, WalReplay.replay(dir, 0, batch -> { }).recordsReplayed());
    }

    @Test
    void writerReopenedAfterReplayContinuesTheLog() throws IOException {
        List<WalRecord> first = writeLog(dir, 1, 10, 256);
        WalReplay.Result result = WalReplay.replay(dir, 0, batch -> { });
        List<WalRecord> second = writeLog(dir, result.nextLsn(), 5, 256);

        List<WalRecord> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(all, replayAll(dir, 0));
    }

    @Test
    void reopeningWithoutWritesReusesTheEmptySegment() throws IOException {
        WalWriter.open(dir, 1, WalOptions.defaults()).close();
        WalWriter.open(dir, 1, WalOptions.defaults()).close();

        assertEquals(1, WalFixtures.segmentFiles(dir).size());
        assertEquals(0, WalReplay.replay(dir, 0, batch -> { }).lastLsn());
    }

    @Test
    void openingTheWriterBeforeExistingRecordsIsRefused() throws IOException {
        writeLog(dir, 1, 10, 128);

        assertThrows(IllegalStateException.class, () -> WalWriter.open(dir, 5, WalOptions.defaults()));
    }

    @Test
    void recordTypeZeroIsRefusedOnAppend() throws IOException {
        try (WalWriter writer = WalWriter.open(dir, 1, WalOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> writer.append((byte) 0, List.of(new byte[1])));
            assertEquals(0, writer.lastLsn());
        }
    }

    @Test
    void replayHandsRecordsInBatchesAndCountsProgress() throws IOException {
        writeLog(dir, 1, 40_000, 64 * 1024);
        List<Integer> batchSizes = new ArrayList<>();
        ReplayProgress progress = new ReplayProgress();

        WalReplay.replay(dir, 0, batch -> batchSizes.add(batch.size()), progress);

        assertEquals(40_000, batchSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batchSizes.stream().allMatch(size -> size <= WalReplay.BATCH_RECORDS));
        assertTrue(batchSizes.size() > 1);
        assertEquals(40_000, progress.recordsReplayed());
        assertEquals(WalFixtures.segmentFiles(dir).size(), progress.segmentsRead());
        long bytes = 0;
        for (Path file : WalFixtures.segmentFiles(dir)) {
            bytes += Files.size(file);
        }
        assertEquals(bytes, progress.bytesRead());
    }

    @Test
    void writerReportsSegmentsBytesAndStats() throws IOException {
        try (WalWriter writer = WalWriter.open(dir, 1, options(256))) {
            for (int i = 1; i <= 30; i++) {
                writer.append(ROW_WRITES, List.of(payload(i)));
            }
            long onDisk = 0;
            for (Path file : WalFixtures.segmentFiles(dir)) {
                onDisk += Files.size(file);
            }
            assertEquals(WalFixtures.segmentFiles(dir).size(), writer.segmentCount());
            assertEquals(onDisk, writer.totalBytes());
            assertEquals(30, writer.stats().recordsAppended());
            assertEquals(onDisk - WalFormat.SEGMENT_HEADER_BYTES * writer.segmentCount(), writer.stats().bytesAppended());
            writer.sync();
            assertEquals(30, writer.durableLsn());
            assertEquals(0, writer.lagNanos());
        }
    }
}
