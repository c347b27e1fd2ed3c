package io.mathdb.engine.snapshot;

import java.nio.file.Path;

/** A published snapshot that recovery passed over, and why; the reason names the file at fault. */
public record SkippedSnapshot(long lsn, Path dir, String reason) {
}
