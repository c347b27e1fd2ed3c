package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Builds real logs on disk and reads them back, for the tests of this package. */
public final class WalFixtures {

    static final byte ROW_WRITES = 3;

    private WalFixtures() {
    }

    /** Deterministic payload of varying length (5..44 bytes), different for every LSN. */
    static byte[] payload(long lsn) {
        byte[] bytes = new byte[5 + (int) (lsn * 7 % 40)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (lsn * 31 + i);
        }
        return bytes;
    }

    static WalOptions options(long segmentBytes) {
        return WalOptions.defaults().withSegmentBytes(segmentBytes);
    }

    /**
     * Appends records {@code nextLsn ..} in groups of 1, 2 and 3 payloads until {@code count} are written,
     * closes the writer, and returns what was written.
     */
    static List<WalRecord> writeLog(Path dir, long nextLsn, int count, long segmentBytes) throws IOException {
        List<WalRecord> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(dir, nextLsn, options(segmentBytes))) {
            long lsn = nextLsn;
            int groupSize = 1;
            while (written.size() < count) {
                int n = Math.min(groupSize, count - written.size());
                List<byte[]> group = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    group.add(payload(lsn));
                    written.add(new WalRecord(lsn, ROW_WRITES, payload(lsn)));
                    lsn++;
                }
                writer.append(ROW_WRITES, group);
                groupSize = groupSize % 3 + 1;
            }
        }
        return written;
    }

    static List<WalRecord> replayAll(Path dir, long afterLsn) throws IOException {
        List<WalRecord> seen = new ArrayList<>();
        WalReplay.replay(dir, afterLsn, seen::addAll);
        return seen;
    }

    /** Segment files in LSN order. */
    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> WalFormat.parseSegmentFileName(p.getFileName().toString()) > 0)
                    .sorted().toList();
        }
    }

    static Path newestSegment(Path dir) throws IOException {
        List<Path> files = segmentFiles(dir);
        return files.get(files.size() - 1);
    }

    /** Byte offsets of the records in a segment's bytes, followed by the offset where the last one ends. */
    public static List<Integer> recordOffsets(byte[] segment) {
        ByteBuffer buf = ByteBuffer.wrap(segment);
        List<Integer> offsets = new ArrayList<>();
        int pos = WalFormat.SEGMENT_HEADER_BYTES;
        while (pos + WalFormat.RECORD_HEADER_BYTES <= segment.length) {
            offsets.add(pos);
            pos += WalFormat.RECORD_HEADER_BYTES + buf.getInt(pos);
        }
        offsets.add(pos);
        return offsets;
    }

    /** Recomputes the CRC of the record at {@code offset} after a test has edited it deliberately. */
    public static void refreshRecordCrc(byte[] segment, int offset) {
        ByteBuffer buf = ByteBuffer.wrap(segment);
        int crc = WalFormat.recordCrc(new java.util.zip.CRC32C(), buf, offset, buf.getInt(offset));
        buf.putInt(offset + WalFormat.CRC_OFFSET, crc);
    }

    static void refreshHeaderCrc(byte[] segment) {
        ByteBuffer buf = ByteBuffer.wrap(segment);
        buf.putInt(16, WalFormat.headerCrc(new java.util.zip.CRC32C(), buf, 0));
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
