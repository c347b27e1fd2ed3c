package io.mathdb.engine.write;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array to encode into. {@code ByteArrayOutputStream} locks on every call, and {@code DataOutputStream}
 * makes a call per byte of an int: that locking was a fifth of the request threads' time in 1000-row batches.
 */
final class ByteSink extends OutputStream {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[capacity];
    }

    @Override
    public void write(int b) {
        if (size == buf.length) {
            grow(1);
        }
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (buf.length - size < len) {
            grow(len);
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void grow(int more) {
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(buf.length * 2L, (long) size + more)));
    }
}
