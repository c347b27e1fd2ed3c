package io.mathdb.engine.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A write or fsync of the log failed. The failure is latched: the writer never touches the file again, and
 * every later append or sync throws this exception with the original cause. After a failed fsync the kernel
 * may have dropped the dirty pages and cleared the error, so a retry that "succeeds" proves nothing; the
 * data on disk is whatever the next start-up recovers.
 */
public final class WalFailedException extends UncheckedIOException {

    private final Path file;
    private final long offset;

    public WalFailedException(Path file, long offset, String operation, IOException cause) {
        super("WAL " + operation + " failed on " + file + " at byte offset " + offset
                + "; the log accepts no more writes until restart", cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
