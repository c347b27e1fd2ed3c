package io.mathdb.engine.snapshot;

import java.util.List;
import java.util.Optional;

/**
 * What {@link SnapshotStore#newestValid} found: the newest snapshot that verified, if any, and every newer one it
 * skipped, newest first. An empty {@code snapshot} with an empty {@code skipped} means there are no snapshots at all
 * (start from an empty database and the whole WAL); an empty {@code snapshot} with skipped entries means every
 * snapshot is damaged, and the engine must refuse to start rather than start empty.
 */
public record SnapshotSelection(Optional<VerifiedSnapshot> snapshot, List<SkippedSnapshot> skipped) {
    public SnapshotSelection {
        skipped = List.copyOf(skipped);
    }
}
