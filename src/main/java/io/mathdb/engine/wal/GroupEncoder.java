package io.mathdb.engine.wal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames a group of payloads as consecutive records in one buffer, so the writer can hand the whole group
 * to the OS with a single write. Used by the writer thread only.
 */
final class GroupEncoder {

    // Groups up to this size reuse one direct buffer (a heap buffer would be copied into a temporary direct
    // one by every write); a rare larger group gets a buffer of its own that is not kept.
    private static final int KEPT_BUFFER_BYTES = 8 * 1024 * 1024;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

    /** Returns a buffer, ready to write, holding the records {@code firstLsn ..} of the group. */
    ByteBuffer encode(long firstLsn, byte type, List<byte[]> payloads) {
        if (type == 0) {
            throw new IllegalArgumentException("record type 0 is reserved");
        }
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        long groupBytes = 0;
        for (byte[] payload : payloads) {
            if (payload.length > WalFormat.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                        + WalFormat.MAX_PAYLOAD_BYTES);
            }
            groupBytes += WalFormat.RECORD_HEADER_BYTES + payload.length;
        }
        if (groupBytes > Integer.MAX_VALUE - WalFormat.SEGMENT_HEADER_BYTES) {
            throw new IllegalArgumentException("group of " + groupBytes + " bytes does not fit one segment");
        }
        ByteBuffer out = bufferFor((int) groupBytes);
        long lsn = firstLsn;
        for (byte[] payload : payloads) {
            WalFormat.putRecord(out, crc, lsn++, type, payload);
        }
        return out.flip();
    }

    private ByteBuffer bufferFor(int bytes) {
        if (bytes > buffer.capacity()) {
            if (bytes > KEPT_BUFFER_BYTES) {
                return ByteBuffer.allocateDirect(bytes);
            }
            buffer = ByteBuffer.allocateDirect(Math.min(KEPT_BUFFER_BYTES, Math.max(bytes, buffer.capacity() * 2)));
        }
        return buffer.clear();
    }
}
