package io.mathdb.engine.snapshot;

import java.nio.file.Path;

/** A published snapshot does not match its manifest, or its manifest is unreadable; names the file and the reason. */
public class CorruptSnapshotException extends SnapshotException {
    private final String reason;

    public CorruptSnapshotException(Path file, String reason) {
        super(file, reason);
        this.reason = reason;
    }

    public Path file() {
        return path();
    }

    public String reason() {
        return reason;
    }
}
