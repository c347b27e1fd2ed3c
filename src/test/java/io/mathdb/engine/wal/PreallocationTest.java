package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.ROW_WRITES;
import static io.mathdb.engine.wal.WalFixtures.options;
import static io.mathdb.engine.wal.WalFixtures.payload;
import static io.mathdb.engine.wal.WalFixtures.recordOffsets;
import static io.mathdb.engine.wal.WalFixtures.replayAll;
import static io.mathdb.engine.wal.WalFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active segment runs ahead of its records with zeros ({@link ActiveSegment#ZEROS_AHEAD}): the newest segment
 * may end in zeros, which recovery reads as the end of the log, never as a torn tail; the others are cut to their
 * records when they are left, and so is the newest when the log is closed.
 */
class PreallocationTest {
    private static final long SMALL_SEGMENT = 4096;
    private static final long LARGE_SEGMENT = 8L * ActiveSegment.ZEROS_AHEAD;

    @TempDir
    Path dir;

    private long lsn;
    private final List<WalRecord> written = new ArrayList<>();

    @Test
    void theActiveSegmentIsZerosAheadOfItsRecordsUpToTheSegmentSize() throws Exception {
        try (WalWriter writer = WalWriter.open(dir, 1, options(SMALL_SEGMENT))) {
            append(writer, 3);
            Path file = segmentFiles(dir).get(0);
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(SMALL_SEGMENT, bytes.length, "a small segment is zero-filled whole");
            long records = writer.totalBytes();
            assertArrayEquals(new byte[(int) (SMALL_SEGMENT - records)],
                    Arrays.copyOfRange(bytes, (int) records, bytes.length));
        }
        try (WalWriter writer = WalWriter.open(dir.resolve("large"), 1, options(LARGE_SEGMENT))) {
            append(writer, 3);
            assertEquals(WalFormat.SEGMENT_HEADER_BYTES + ActiveSegment.ZEROS_AHEAD,
                    Files.size(segmentFiles(dir.resolve("large")).get(0)), "a large one grows a MiB at a time");
        }
    }

    @Test
    void segmentsLeftBehindEndAtTheirLastRecord() throws Exception {
        try (WalWriter writer = WalWriter.open(dir, 1, options(SMALL_SEGMENT))) {
            while (writer.segmentCount() < 4) {
                append(writer, 1);
            }
            List<Path> segments = segmentFiles(dir);
            for (Path older : segments.subList(0, segments.size() - 1)) {
                byte[] bytes = Files.readAllBytes(older);
                List<Integer> ends = recordOffsets(bytes);
                assertEquals(bytes.length, ends.get(ends.size() - 1), older + " ends at its last record");
            }
            assertEquals(SMALL_SEGMENT, Files.size(segments.get(segments.size() - 1)));
        }
        assertEndsAtLastRecord(WalFixtures.newestSegment(dir), "closed, the newest is cut too");
        assertEquals(written, replayAll(dir, 0));
    }

    @Test
    void aKilledWritersZerosAreTheEndOfTheLogNotATornTail() throws Exception {
        Path copy = dir.resolve("after-kill");
        try (WalWriter writer = WalWriter.open(dir.resolve("wal"), 1, options(SMALL_SEGMENT))) {
            while (writer.segmentCount() < 3) {
                append(writer, 1);
            }
            append(writer, 2);
            writer.sync();
            // What a kill -9 leaves: the files as they stand, the newest with zeros after its records.
            WalFixtures.copyDirectory(dir.resolve("wal"), copy);
        }
        Path newest = WalFixtures.newestSegment(copy);
        assertEquals(SMALL_SEGMENT, Files.size(newest));

        List<WalRecord> replayed = new ArrayList<>();
        WalReplay.Result result = WalReplay.replay(copy, 0, replayed::addAll);

        assertEquals(written, replayed);
        assertFalse(result.hadTornTail(), "zeros after the last record are not a torn write");
        assertEquals(0, result.bytesTruncated());
        assertEndsAtLastRecord(newest, "cut to its records");
        try (WalWriter writer = WalWriter.open(copy, result.nextLsn(), options(SMALL_SEGMENT))) {
            append(writer, 2);
        }
        assertEquals(written, replayAll(copy, 0), "the log goes on after the cut");
    }

    @Test
    void aNewestSegmentOfOnlyZerosIsDeletedAsUnused() throws Exception {
        try (WalWriter writer = WalWriter.open(dir, 1, options(SMALL_SEGMENT))) {
            append(writer, 3);
        }
        // A segment created and zero-filled just before the power went, its header never on the disk.
        Files.write(dir.resolve(WalFormat.segmentFileName(lsn + 1)), new byte[(int) SMALL_SEGMENT]);

        List<WalRecord> replayed = new ArrayList<>();
        WalReplay.Result result = WalReplay.replay(dir, 0, replayed::addAll);

        assertEquals(written, replayed);
        assertFalse(result.hadTornTail());
        assertEquals(1, segmentFiles(dir).size(), "the file of zeros is gone");
    }

    @Test
    void aGroupLargerThanTheSegmentGrowsItsFileAsBefore() throws Exception {
        try (WalWriter writer = WalWriter.open(dir, 1, options(SMALL_SEGMENT))) {
            append(writer, 1);
            lsn++;
            byte[] big = new byte[(int) SMALL_SEGMENT * 2];
            Arrays.fill(big, (byte) 7);
            writer.append(ROW_WRITES, List.of(big));
            written.add(new WalRecord(lsn, ROW_WRITES, big));
            append(writer, 1);
        }
        assertEquals(written, replayAll(dir, 0));
    }

    private static void assertEndsAtLastRecord(Path segment, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        List<Integer> ends = recordOffsets(bytes);
        assertEquals(bytes.length, ends.get(ends.size() - 1), what);
    }

    private void append(WalWriter writer, int records) {
        for (int i = 0; i < records; i++) {
            lsn++;
            writer.append(ROW_WRITES, List.of(payload(lsn)));
            written.add(new WalRecord(lsn, ROW_WRITES, payload(lsn)));
        }
    }
}
