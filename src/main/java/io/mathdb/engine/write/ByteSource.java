package io.mathdb.engine.write;

import java.io.InputStream;
import java.util.Objects;

/** Reads a byte array without the per-call locking of {@code ByteArrayInputStream} (see {@link ByteSink}). */
final class ByteSource extends InputStream {
    private final byte[] buf;
    private int pos;

    ByteSource(byte[] buf) {
        this.buf = buf;
    }

    @Override
    public int read() {
        return pos < buf.length ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = Math.min(len, buf.length - pos);
        if (n <= 0) {
            return -1;
        }
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return buf.length - pos;
    }
}
