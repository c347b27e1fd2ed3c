package io.mathdb.engine.snapshot;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.nio.file.Path;

/** A snapshot could not be written, read or loaded; {@link #path()} names the directory or file at fault. */
public class SnapshotException extends MathDbException {
    private final transient Path path;

    public SnapshotException(Path path, String reason) {
        this(path, reason, null);
    }

    public SnapshotException(Path path, String reason, Throwable cause) {
        super(ErrorCode.INTERNAL, path + ": " + reason, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
