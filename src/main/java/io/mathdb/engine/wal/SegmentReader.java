package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads and checks one segment (STORAGE.md, "Recovery" steps 4 to 6). It reports where the valid part
 * ends; deciding between torn tail and corruption needs to know whether this is the newest segment.
 */
final class SegmentReader {

    /** How a segment ended. {@code validBytes < size} means a torn tail starting at {@code validBytes}. */
    record Outcome(long lastLsn, long records, long validBytes, long size, String tornReason) {
        boolean torn() {
            return validBytes < size;
        }
    }

    private final Path file;
    private final ByteBuffer buf;
    private final int size;
    private final boolean newest;
    private final CRC32C crc = new CRC32C();

    private SegmentReader(Path file, ByteBuffer buf, boolean newest) {
        this.file = file;
        this.buf = buf;
        this.size = buf.capacity();
        this.newest = newest;
    }

    /** Maps the whole segment: replay then reads it at memory speed without copying. */
    static SegmentReader open(Path file, boolean newest) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new CorruptWalException(file, Integer.MAX_VALUE, "segment is larger than 2 GiB");
            }
            return new SegmentReader(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, size), newest);
        }
    }

    /**
     * Reads the segment, handing records with LSN above {@code afterLsn} to {@code sink} in order.
     * A newest segment whose header is torn (short, or all zero with no valid record after it) comes back
     * as an outcome with {@code validBytes == 0}: the caller deletes the file.
     */
    Outcome read(long firstLsn, long afterLsn, Consumer<WalRecord> sink) throws CorruptWalException {
        String headerTorn = checkHeader(firstLsn);
        if (headerTorn != null) {
            return new Outcome(firstLsn - 1, 0, 0, size, headerTorn);
        }
        long expected = firstLsn;
        int pos = WalFormat.SEGMENT_HEADER_BYTES;
        while (pos < size) {
            String bad;
            int remaining = size - pos;
            if (remaining < WalFormat.RECORD_HEADER_BYTES) {
                bad = "incomplete record header (" + remaining + " bytes before end of file)";
            } else {
                int length = buf.getInt(pos + WalFormat.LENGTH_OFFSET);
                if (length < 0 || length > remaining - WalFormat.RECORD_HEADER_BYTES) {
                    bad = "record length " + Integer.toUnsignedLong(length) + " points past end of file";
                } else if (WalFormat.recordCrc(crc, buf, pos, length) != buf.getInt(pos + WalFormat.CRC_OFFSET)) {
                    bad = "record checksum mismatch";
                } else {
                    long lsn = buf.getLong(pos + WalFormat.LSN_OFFSET);
                    byte type = buf.get(pos + WalFormat.TYPE_OFFSET);
                    if (lsn != expected) {
                        throw new CorruptWalException(file, pos, "LSN " + lsn + " where " + expected + " was expected");
                    }
                    if (type == 0) {
                        throw new CorruptWalException(file, pos, "record type 0 at LSN " + lsn);
                    }
                    if (lsn > afterLsn) {
                        byte[] payload = new byte[length];
                        buf.get(pos + WalFormat.RECORD_HEADER_BYTES, payload);
                        sink.accept(new WalRecord(lsn, type, payload));
                    }
                    expected++;
                    pos += WalFormat.RECORD_HEADER_BYTES + length;
                    continue;
                }
            }
            return endAtBadRecord(pos, expected - 1, firstLsn, bad);
        }
        return new Outcome(expected - 1, expected - firstLsn, size, size, null);
    }

    private Outcome endAtBadRecord(int pos, long lastGood, long firstLsn, String bad) throws CorruptWalException {
        if (!newest) {
            // Older segments were fsynced before their successor was created: damage there is not a torn write.
            throw new CorruptWalException(file, pos, bad + " in a segment that is not the newest");
        }
        int next = findValidRecord(pos + 1, lastGood);
        if (next >= 0) {
            throw new CorruptWalException(file, pos, bad + "; a valid record follows at offset " + next);
        }
        return new Outcome(lastGood, lastGood - firstLsn + 1, pos, size, bad);
    }

    /** Returns a reason if this newest segment's header is a torn write, or null if the header is good. */
    private String checkHeader(long firstLsn) throws CorruptWalException {
        if (size < WalFormat.SEGMENT_HEADER_BYTES) {
            String reason = "segment header is incomplete (" + size + " bytes)";
            if (newest) {
                return reason;
            }
            throw new CorruptWalException(file, 0, reason);
        }
        if (isZero(0, WalFormat.SEGMENT_HEADER_BYTES)) {
            // A crash after the file grew but before its first page reached the disk leaves zeros.
            if (newest && findValidRecord(WalFormat.SEGMENT_HEADER_BYTES, firstLsn - 1) < 0) {
                return "segment header is zeroed";
            }
            throw new CorruptWalException(file, 0, "segment header is zeroed");
        }
        int magic = buf.getInt(0);
        if (magic != WalFormat.MAGIC) {
            throw new CorruptWalException(file, 0, String.format("bad magic 0x%08X, expected 0x%08X", magic, WalFormat.MAGIC));
        }
        int version = buf.getInt(4);
        if (version != WalFormat.VERSION) {
            throw new CorruptWalException(file, 4, "unknown format version " + version + " (this build reads "
                    + WalFormat.VERSION + ")");
        }
        if (WalFormat.headerCrc(crc, buf, 0) != buf.getInt(16)) {
            throw new CorruptWalException(file, 16, "segment header checksum mismatch");
        }
        long headerLsn = buf.getLong(8);
        if (headerLsn != firstLsn) {
            throw new CorruptWalException(file, 8, "header first LSN " + headerLsn + " does not match the file name");
        }
        return null;
    }

    /**
     * The offset of the first record at or after {@code from} whose CRC verifies with an LSN above
     * {@code lastGood}, or -1. Every byte offset is tried, since a damaged length field hides where the
     * next record starts; the LSN range and type are checked first so that garbage costs no CRC.
     */
    private int findValidRecord(int from, long lastGood) {
        long maxLsn = lastGood + 1 + (size - from) / WalFormat.RECORD_HEADER_BYTES;
        for (int off = from; off <= size - WalFormat.RECORD_HEADER_BYTES; off++) {
            int length = buf.getInt(off + WalFormat.LENGTH_OFFSET);
            if (length < 0 || length > size - off - WalFormat.RECORD_HEADER_BYTES) {
                continue;
            }
            long lsn = buf.getLong(off + WalFormat.LSN_OFFSET);
            if (lsn <= lastGood || lsn > maxLsn || buf.get(off + WalFormat.TYPE_OFFSET) == 0) {
                continue;
            }
            if (WalFormat.recordCrc(crc, buf, off, length) == buf.getInt(off + WalFormat.CRC_OFFSET)) {
                return off;
            }
        }
        return -1;
    }

    private boolean isZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
