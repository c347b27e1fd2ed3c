package io.mathdb.engine.wal;

import static io.mathdb.engine.wal.WalFixtures.recordOffsets;
import static io.mathdb.engine.wal.WalFixtures.segmentFiles;
import static io.mathdb.engine.wal.WalFixtures.writeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that is not a torn write stops start-up, naming the file and the byte offset. */
class CorruptionTest {

    @TempDir
    Path dir;

    private List<Path> segments;

    @BeforeEach
    void writeLogOfSeveralSegments() throws IOException {
        writeLog(dir, 1, 60, 600);
        segments = segmentFiles(dir);
        assertTrue(segments.size() >= 4);
    }

    @Test
    void flippedByteInRecordFollowedByValidRecordsRefusesToStart() throws IOException {
        Path newest = segments.get(segments.size() - 1);
        int victim = recordOffsets(Files.readAllBytes(newest)).get(0);

        edit(newest, bytes -> bytes[victim + WalFormat.RECORD_HEADER_BYTES + 2] ^= 0x01);

        CorruptWalException e = assertRefuses(newest, victim);
        assertTrue(e.reason().contains("checksum"), e.getMessage());
    }

    @Test
    void flippedByteInMiddleSegmentRefusesToStart() throws IOException {
        Path middle = segments.get(1);
        List<Integer> offsets = recordOffsets(Files.readAllBytes(middle));
        int last = offsets.get(offsets.size() - 2);

        edit(middle, bytes -> bytes[last + WalFormat.LSN_OFFSET + 7] ^= 0x40);

        assertRefuses(middle, last);
    }

    @Test
    void truncatedOlderSegmentRefusesToStart() throws IOException {
        Path older = segments.get(segments.size() - 2);
        long size = Files.size(older);
        try (var channel = java.nio.channels.FileChannel.open(older, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - 3);
        }
        List<Integer> offsets = recordOffsets(Files.readAllBytes(older));

        assertRefuses(older, offsets.get(offsets.size() - 2));
    }

    @Test
    void missingMiddleSegmentRefusesToStart() throws IOException {
        Files.delete(segments.get(1));

        assertRefuses(segments.get(2), 0);
    }

    @Test
    void missingFirstNeededLsnRefusesToStart() throws IOException {
        Files.delete(segments.get(0));

        CorruptWalException e = assertRefuses(segments.get(1), 0);
        assertTrue(e.reason().contains("LSN 1 is missing"), e.getMessage());
    }

    @Test
    void lsnGapBetweenSegmentsRefusesToStart() throws IOException {
        WalReplay.Result result = WalReplay.replay(dir, 0, batch -> { });
        writeLog(dir, result.nextLsn() + 2, 5, 600);

        assertRefuses(dir.resolve(WalFormat.segmentFileName(result.nextLsn() + 2)), 0);
    }

    @Test
    void lsnOutOfSequenceInsideSegmentRefusesToStart() throws IOException {
        Path newest = segments.get(segments.size() - 1);
        int second = recordOffsets(Files.readAllBytes(newest)).get(1);

        edit(newest, bytes -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            buf.putLong(second + WalFormat.LSN_OFFSET, buf.getLong(second + WalFormat.LSN_OFFSET) + 1);
            WalFixtures.refreshRecordCrc(bytes, second);
        });

        assertRefuses(newest, second);
    }

    @Test
    void recordTypeZeroRefusesToStart() throws IOException {
        Path newest = segments.get(segments.size() - 1);
        List<Integer> offsets = recordOffsets(Files.readAllBytes(newest));
        int last = offsets.get(offsets.size() - 2);

        edit(newest, bytes -> {
            bytes[last + WalFormat.TYPE_OFFSET] = 0;
            WalFixtures.refreshRecordCrc(bytes, last);
        });

        assertRefuses(newest, last);
    }

    @Test
    void badMagicRefusesToStart() throws IOException {
        edit(segments.get(0), bytes -> bytes[1] = 'X');
        assertRefuses(segments.get(0), 0);
    }

    @Test
    void badMagicInNewestSegmentRefusesToStart() throws IOException {
        Path newest = segments.get(segments.size() - 1);
        edit(newest, bytes -> bytes[0] = 0);
        assertRefuses(newest, 0);
    }

    @Test
    void unknownFormatVersionRefusesToStart() throws IOException {
        Path newest = segments.get(segments.size() - 1);
        edit(newest, bytes -> {
            ByteBuffer.wrap(bytes).putInt(4, 2);
            WalFixtures.refreshHeaderCrc(bytes);
        });

        CorruptWalException e = assertRefuses(newest, 4);
        assertTrue(e.reason().contains("unknown format version 2"), e.getMessage());
    }

    @Test
    void headerLsnDifferentFromFileNameRefusesToStart() throws IOException {
        edit(segments.get(1), bytes -> {
            ByteBuffer.wrap(bytes).putLong(8, 999);
            WalFixtures.refreshHeaderCrc(bytes);
        });

        assertRefuses(segments.get(1), 8);
    }

    @Test
    void corruptionInSegmentsBeforeTheSnapshotIsNotRead() throws IOException {
        edit(segments.get(0), bytes -> bytes[WalFormat.SEGMENT_HEADER_BYTES + 20] ^= 0x01);
        long firstOfThird = WalFormat.parseSegmentFileName(segments.get(2).getFileName().toString());

        List<WalRecord> replayed = WalFixtures.replayAll(dir, firstOfThird);

        assertEquals(firstOfThird + 1, replayed.get(0).lsn());
        assertEquals(60, replayed.get(replayed.size() - 1).lsn());
    }

    private CorruptWalException assertRefuses(Path file, long offset) {
        CorruptWalException e = assertThrows(CorruptWalException.class,
                () -> WalReplay.replay(dir, 0, batch -> { }));
        assertEquals(file, e.file(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset " + offset),
                e.getMessage());
        return e;
    }

    private static void edit(Path file, Consumer<byte[]> change) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        change.accept(bytes);
        Files.write(file, bytes);
    }
}
