package io.mathdb.engine;

import java.time.Instant;

/** The newest snapshot: the LSN it is consistent at, when it was taken, and its size on disk. */
public record SnapshotStatus(long lsn, Instant created, long bytes) {
}
