package io.mathdb.engine.snapshot;

import java.util.List;

/**
 * A snapshot whose manifest checksum, and every file's length and CRC32C, matched when it was verified: safe to load
 * with {@link SnapshotLoader}, then replay the WAL from {@code info().lsn() + 1}.
 */
public record VerifiedSnapshot(SnapshotInfo info, List<SnapshotTable> tables) {
    public VerifiedSnapshot {
        tables = List.copyOf(tables);
    }

    public long lsn() {
        return info.lsn();
    }
}
