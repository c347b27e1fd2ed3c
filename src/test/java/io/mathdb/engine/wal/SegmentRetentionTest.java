package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.ROW_WRITES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRetentionTest {

    @TempDir
    Path dir;

    @Test
    void deleteSegmentsBelowKeepsTheSegmentHoldingTheLsnAndTheActiveOne() throws IOException {
        // 4 records of 40 bytes fill a 250-byte segment: segments start at 1, 5, 9 and 13.
        try (WalWriter writer = WalWriter.open(dir, 1, WalFixtures.options(250))) {
            for (int i = 0; i < 14; i++) {
                writer.append(ROW_WRITES, List.of(new byte[40]));
            }
            assertEquals(List.of(1L, 5L, 9L, 13L), firstLsns(writer));

            assertEquals(2, writer.deleteSegmentsBelow(9));
            assertEquals(List.of(9L, 13L), firstLsns(writer));
            assertEquals(0, writer.deleteSegmentsBelow(12));
            assertEquals(List.of(9L, 13L), firstLsns(writer));

            assertEquals(1, writer.deleteSegmentsBelow(Long.MAX_VALUE));
            assertEquals(List.of(13L), firstLsns(writer));
            assertEquals(List.of(dir.resolve(WalFormat.segmentFileName(13))), WalFixtures.segmentFiles(dir));
        }
        assertEquals(14, WalFixtures.replayAll(dir, 12).get(1).lsn());
    }

    private static List<Long> firstLsns(WalWriter writer) {
        return writer.segments().stream().map(SegmentInfo::firstLsn).toList();
    }
}
