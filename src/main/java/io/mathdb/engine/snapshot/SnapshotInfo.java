package io.mathdb.engine.snapshot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A published snapshot as its manifest describes it: the LSN it covers up to, its directory, when it was written
 * (for people; ordering is by LSN), the bytes of all its files including the manifest, and rows per table in table
 * order.
 */
public record SnapshotInfo(long lsn, Path dir, Instant created, long totalBytes, Map<String, Long> rowCounts) {
    public SnapshotInfo {
        rowCounts = Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
    }
}
