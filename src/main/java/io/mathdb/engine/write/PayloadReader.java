package io.mathdb.engine.write;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a payload's fields from its byte array in {@link java.io.DataInput}'s order and encodings, which is how
 * {@link MutationCodec} writes them. Replay decodes millions of payloads: a {@code DataInputStream} a payload cost
 * three buffers and a stream, a third of replay's allocation, and a call through the stream for every field.
 * Reading past the end fails with {@link IllegalArgumentException}, so a cut payload is refused, never shortened.
 */
final class PayloadReader {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] buf;
    private int pos;

    PayloadReader(byte[] buf) {
        this.buf = buf;
    }

    byte readByte() {
        need(1);
        return buf[pos++];
    }

    boolean readBoolean() {
        return readByte() != 0;
    }

    int readUnsignedShort() {
        need(2);
        int v = (buf[pos] & 0xFF) << 8 | buf[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    int readInt() {
        need(4);
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    long readLong() {
        need(8);
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** A string written by {@code DataOutput.writeUTF}: a two-byte length, then modified UTF-8. */
    String readUTF() {
        int n = readUnsignedShort();
        need(n);
        int start = pos;
        pos += n;
        for (int i = start; i < start + n; i++) {
            if (buf[i] < 0) {
                return modifiedUtf8(start - 2, n + 2); // beyond ASCII: the JDK's own decoder
            }
        }
        return new String(buf, start, n, StandardCharsets.ISO_8859_1); // ASCII reads the same in every encoding
    }

    /** A length-prefixed byte string: a four-byte length, then the bytes. */
    byte[] readBytes() {
        int n = readLength();
        pos += n;
        return Arrays.copyOfRange(buf, pos - n, pos);
    }

    /** A length-prefixed UTF-8 string, decoded straight from the payload. */
    String readUtf8() {
        int n = readLength();
        pos += n;
        return new String(buf, pos - n, n, StandardCharsets.UTF_8);
    }

    private int readLength() {
        int n = readInt();
        if (n < 0) {
            throw new IllegalArgumentException("truncated payload: negative length " + n + " at offset " + (pos - 4));
        }
        need(n);
        return n;
    }

    private String modifiedUtf8(int offset, int length) {
        try {
            return new DataInputStream(new ByteArrayInputStream(buf, offset, length)).readUTF();
        } catch (IOException e) {
            throw new IllegalArgumentException("bad string at offset " + offset + ": " + e.getMessage(), e);
        }
    }

    private void need(int n) {
        if (n > buf.length - pos) {
            throw new IllegalArgumentException("truncated payload: " + n + " bytes needed at offset " + pos + ", "
                    + (buf.length - pos) + " left");
        }
    }
}
