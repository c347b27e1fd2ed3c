package io.mathdb.engine.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Byte layout of WAL segments. The specification is {@code io/mathdb/engine/STORAGE.md}
 * (section "WAL segments"); every constant here is defined there, and a change here is a format change.
 */
public final class WalFormat {

    /** "MWAL": the first four bytes of every segment. */
    public static final int MAGIC = 0x4D57414C;
    public static final int VERSION = 1;

    /** magic:u32 version:u32 firstLsn:u64 headerCrc:u32. */
    public static final int SEGMENT_HEADER_BYTES = 20;

    /** length:u32 crc:u32 lsn:u64 type:u8, followed by the payload. */
    public static final int RECORD_HEADER_BYTES = 17;
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int LSN_OFFSET = 8;
    static final int TYPE_OFFSET = 16;

    /**
     * Largest payload of one record. The reader maps a whole segment, so a segment (and therefore a group)
     * must stay below 2 GiB; one record is kept well below that.
     */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    private static final String PREFIX = "wal-";
    private static final String SUFFIX = ".log";
    private static final int LSN_DIGITS = 16;

    private WalFormat() {
    }

    /** Fixed-width hex, so that lexical order of names is LSN order. */
    public static String segmentFileName(long firstLsn) {
        if (firstLsn < 1) {
            throw new IllegalArgumentException("first LSN must be >= 1: " + firstLsn);
        }
        String hex = Long.toHexString(firstLsn);
        return PREFIX + "0".repeat(LSN_DIGITS - hex.length()) + hex + SUFFIX;
    }

    /** The first LSN a segment file name stands for, or -1 if the name is not a segment name. */
    public static long parseSegmentFileName(String name) {
        if (name.length() != PREFIX.length() + LSN_DIGITS + SUFFIX.length()
                || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long lsn = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + LSN_DIGITS; i++) {
            int digit = Character.digit(name.charAt(i), 16);
            if (digit < 0 || Character.isUpperCase(name.charAt(i))) {
                return -1;
            }
            lsn = (lsn << 4) | digit;
        }
        return lsn >= 1 ? lsn : -1;
    }

    static void putSegmentHeader(ByteBuffer out, long firstLsn) {
        int start = out.position();
        out.putInt(MAGIC).putInt(VERSION).putLong(firstLsn);
        out.putInt(headerCrc(new CRC32C(), out, start));
    }

    /** CRC of the 16 header bytes at {@code start} that precede the header CRC field. */
    static int headerCrc(CRC32C crc, ByteBuffer buf, int start) {
        return crcOf(crc, buf, start, 16, 0, 0);
    }

    /** Appends one framed record at the buffer's position; the buffer must have room. */
    static void putRecord(ByteBuffer out, CRC32C crc, long lsn, byte type, byte[] payload) {
        int start = out.position();
        out.putInt(payload.length).putInt(0).putLong(lsn).put(type).put(payload);
        out.putInt(start + CRC_OFFSET, recordCrc(crc, out, start, payload.length));
    }

    /** CRC of the record at {@code start}: its length field, then lsn, type and payload. */
    static int recordCrc(CRC32C crc, ByteBuffer buf, int start, int payloadLength) {
        return crcOf(crc, buf, start + LENGTH_OFFSET, 4,
                start + LSN_OFFSET, RECORD_HEADER_BYTES - LSN_OFFSET + payloadLength);
    }

    /**
     * CRC of two byte ranges of {@code buf}, read in place (CRC32C reads direct and mapped buffers without
     * copying) with the caller's crc object, so the replay loop allocates nothing per record.
     * The buffer's position and limit are restored.
     */
    private static int crcOf(CRC32C crc, ByteBuffer buf, int from1, int len1, int from2, int len2) {
        int position = buf.position();
        int limit = buf.limit();
        crc.reset();
        buf.limit(buf.capacity());
        buf.position(from1).limit(from1 + len1);
        crc.update(buf);
        if (len2 > 0) {
            buf.limit(from2 + len2).position(from2);
            crc.update(buf);
        }
        buf.limit(limit).position(position);
        return (int) crc.getValue();
    }
}
