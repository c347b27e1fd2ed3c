package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The segment the writer appends to: its channel, name, first LSN and size. Only the writer thread
 * writes; other threads read the size and force the channel.
 */
final class ActiveSegment {

    private final WalFiles files;
    private final FileChannel channel;
    private final Path path;
    private final long firstLsn;
    private volatile long bytes;

    private ActiveSegment(WalFiles files, FileChannel channel, Path path, long firstLsn) {
        this.files = files;
        this.channel = channel;
        this.path = path;
        this.firstLsn = firstLsn;
    }

    /**
     * Creates the file named by {@code firstLsn} (replacing a header-only file of that name) and writes
     * its header. The new name is not durable until the directory is fsynced.
     */
    static ActiveSegment create(WalFiles files, Path dir, long firstLsn) throws IOException {
        Path path = dir.resolve(WalFormat.segmentFileName(firstLsn));
        ActiveSegment segment = new ActiveSegment(files, files.create(path), path, firstLsn);
        ByteBuffer header = ByteBuffer.allocate(WalFormat.SEGMENT_HEADER_BYTES);
        WalFormat.putSegmentHeader(header, firstLsn);
        header.flip();
        try {
            segment.write(header);
        } catch (IOException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    /** Writes all of {@code buffer}; the loop is only for short writes, not a retry after an error. */
    void write(ByteBuffer buffer) throws IOException {
        int start = buffer.position();
        try {
            while (buffer.hasRemaining()) {
                files.write(channel, buffer);
            }
        } finally {
            bytes += buffer.position() - start;
        }
    }

    void force() throws IOException {
        files.force(channel);
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closed after a force, or after a latched failure: there is nothing left to report.
        }
    }

    Path path() {
        return path;
    }

    long firstLsn() {
        return firstLsn;
    }

    long bytes() {
        return bytes;
    }

    SegmentInfo info() {
        return new SegmentInfo(path.getFileName().toString(), firstLsn, bytes);
    }
}
