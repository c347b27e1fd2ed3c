package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.newestSegment;
import static io.mathdb.engine.wal.WalFixtures.recordOffsets;
import static io.mathdb.engine.wal.WalFixtures.replayAll;
import static io.mathdb.engine.wal.WalFixtures.writeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged end of the newest segment is a torn write: it is cut off, and the log goes on from there. */
class TornTailTest {

    private static final int RECORDS = 40;
    private static final long SEGMENT_BYTES = 600;

    @TempDir
    Path tmp;

    private Path pristine;
    private List<WalRecord> written;
    private List<Integer> newestOffsets;
    private int recordsInOlderSegments;

    @BeforeEach
    void writePristineLog() throws IOException {
        pristine = tmp.resolve("pristine");
        written = writeLog(pristine, 1, RECORDS, SEGMENT_BYTES);
        newestOffsets = recordOffsets(Files.readAllBytes(newestSegment(pristine)));
        recordsInOlderSegments = RECORDS - (newestOffsets.size() - 1);
        assertTrue(WalFixtures.segmentFiles(pristine).size() >= 3, "fixture spans several segments");
        assertTrue(newestOffsets.size() - 1 >= 3, "fixture's newest segment holds at least 3 records");
    }

    @Test
    void truncatedTrailingRecordIsIgnored() throws IOException {
        int from = newestOffsets.get(newestOffsets.size() - 4);
        int end = newestOffsets.get(newestOffsets.size() - 1);
        for (int cut = from; cut < end; cut++) {
            final int at = cut;
            long whole = newestOffsets.stream().skip(1).filter(recordEnd -> recordEnd <= at).count();
            assertRecovers("cut at " + cut, bytes -> Arrays.copyOf(bytes, at), recordsInOlderSegments + (int) whole);
        }
    }

    @Test
    void zeroedTailIsCutOff() throws IOException {
        assertRecovers("zeros appended", bytes -> Arrays.copyOf(bytes, bytes.length + 4096), RECORDS);
    }

    @Test
    void zeroedLastRecordIsCutOff() throws IOException {
        int last = newestOffsets.get(newestOffsets.size() - 2);
        assertRecovers("last record zeroed", bytes -> {
            Arrays.fill(bytes, last, bytes.length, (byte) 0);
            return bytes;
        }, RECORDS - 1);
    }

    @Test
    void garbageTailIsCutOff() throws IOException {
        assertRecovers("garbage appended", bytes -> {
            byte[] garbage = new byte[3000];
            new Random(42).nextBytes(garbage);
            byte[] out = Arrays.copyOf(bytes, bytes.length + garbage.length);
            System.arraycopy(garbage, 0, out, bytes.length, garbage.length);
            return out;
        }, RECORDS);
    }

    @Test
    void lengthFieldPointingPastEndOfFileIsTornTail() throws IOException {
        int last = newestOffsets.get(newestOffsets.size() - 2);
        assertRecovers("length past EOF", bytes -> {
            ByteBuffer.wrap(bytes).putInt(last, 0x7FFF_FFF0);
            return bytes;
        }, RECORDS - 1);
    }

    @Test
    void newestSegmentWithTornHeaderIsDeleted() throws IOException {
        assertRecovers("header torn", bytes -> Arrays.copyOf(bytes, WalFormat.SEGMENT_HEADER_BYTES - 3),
                recordsInOlderSegments);
    }

    @Test
    void emptyNewestSegmentFileIsDeleted() throws IOException {
        assertRecovers("zero-length file", bytes -> new byte[0], recordsInOlderSegments);
    }

    @Test
    void newestSegmentOfOnlyZerosIsDeleted() throws IOException {
        assertRecovers("all zeros", bytes -> new byte[bytes.length], recordsInOlderSegments);
    }

    /**
     * Applies {@code corrupt} to the real bytes of the newest segment of a copy of the pristine log, then
     * checks that start-up keeps exactly the first {@code survivors} records, that a writer opened after them
     * appends, and that a second start-up sees the old and new records and no torn tail.
     */
    private void assertRecovers(String what, UnaryOperator<byte[]> corrupt, int survivors) throws IOException {
        Path dir = tmp.resolve("case-" + System.nanoTime());
        WalFixtures.copyDirectory(pristine, dir);
        Path newest = newestSegment(dir);
        Files.write(newest, corrupt.apply(Files.readAllBytes(newest)));

        List<WalRecord> replayed = new ArrayList<>();
        WalReplay.Result result = WalReplay.replay(dir, 0, replayed::addAll);

        assertEquals(written.subList(0, survivors), replayed, what);
        assertEquals(survivors, result.lastLsn(), what);
        if (result.hadTornTail()) {
            assertTrue(result.bytesTruncated() > 0, what);
            assertEquals(newest, result.tornFile(), what);
        }
        List<WalRecord> appended = writeLog(dir, result.nextLsn(), 3, SEGMENT_BYTES);
        List<WalRecord> expected = new ArrayList<>(written.subList(0, survivors));
        expected.addAll(appended);
        List<WalRecord> again = new ArrayList<>();
        WalReplay.Result second = WalReplay.replay(dir, 0, again::addAll);
        assertEquals(expected, again, what + ", after new writes");
        assertFalse(second.hadTornTail(), what + ": the tail was repaired");
    }
}
