package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log on disk cannot be read as a prefix of what was written: a bad checksum before the tail, a bad
 * segment header, a missing segment or an LSN out of sequence. Start-up stops; nothing is repaired, because
 * starting over data that could not be read would silently lose acknowledged writes.
 */
public final class CorruptWalException extends IOException {

    private final Path file;
    private final long offset;
    private final String reason;

    public CorruptWalException(Path file, long offset, String reason) {
        super("corrupt WAL segment " + file + " at byte offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
