package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRetentionTest {
    @TempDir
    Path dir;

    private void snapshots(long... lsns) throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 2);
            for (long lsn : lsns) {
                db.snapshot(dir, lsn, List.of(items));
            }
        }
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void retainTwoKeepsTheTwoNewestAndReturnsTheOlderOfThem() throws Exception {
        snapshots(5, 17, 300, 4096);
        assertEquals(OptionalLong.of(300), new SnapshotStore(dir).retain(2));
        assertEquals(List.of("snap-000000000000012c", "snap-0000000000001000"), names());
    }

    @Test
    void damagedSnapshotsDoNotCountTowardRetention() throws Exception {
        snapshots(1, 2, 3);
        Files.delete(dir.resolve("snap-0000000000000003").resolve("t000.parquet"));
        assertEquals(OptionalLong.of(1), new SnapshotStore(dir).retain(2));
        assertEquals(List.of("snap-0000000000000001", "snap-0000000000000002", "snap-0000000000000003"), names());
        // Once two newer valid ones exist, the damaged one is older than both and goes too.
        snapshots(4, 5);
        assertEquals(OptionalLong.of(4), new SnapshotStore(dir).retain(2));
        assertEquals(List.of("snap-0000000000000004", "snap-0000000000000005"), names());
    }

    @Test
    void withNoValidSnapshotRetainDeletesNothing() throws Exception {
        snapshots(1);
        Files.delete(dir.resolve("snap-0000000000000001").resolve("manifest.json"));
        assertTrue(new SnapshotStore(dir).retain(1).isEmpty());
        assertEquals(List.of("snap-0000000000000001"), names());
    }

    @Test
    void listIsNewestFirstByLsnNotByFileTime() throws Exception {
        snapshots(9, 10, 255);
        // Make the oldest snapshot look newest on disk: order must still come from the LSN.
        Files.setLastModifiedTime(dir.resolve("snap-0000000000000009"), FileTime.fromMillis(4_000_000_000_000L));
        Files.setLastModifiedTime(dir.resolve("snap-00000000000000ff"), FileTime.fromMillis(0));
        List<SnapshotInfo> list = new SnapshotStore(dir).list();
        assertEquals(List.of(255L, 10L, 9L), list.stream().map(SnapshotInfo::lsn).toList());
        assertEquals(2L, list.get(0).rowCounts().get("items"));
    }
}
