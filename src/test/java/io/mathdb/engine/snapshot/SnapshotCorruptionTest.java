package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged snapshots are skipped with a reason naming the file, and recovery falls back to the older one. Two valid
 * snapshots are written first (LSN 10 with 3 rows, LSN 20 with 5); each test damages LSN 20 through one helper.
 */
class SnapshotCorruptionTest {
    @TempDir
    Path dir;
    private SnapshotStore store;
    private Path newest;

    @BeforeEach
    void twoSnapshots() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 3);
            TableSchema tags = db.simpleTable("tags", 2);
            db.snapshot(dir, 10, List.of(items, tags));
            db.exec("INSERT INTO items VALUES (4, 'four'), (5, 'five')");
            db.snapshot(dir, 20, List.of(items, tags));
        }
        store = new SnapshotStore(dir);
        newest = dir.resolve("snap-0000000000000014");
        assertEquals(20, store.newestValid().snapshot().orElseThrow().lsn());
    }

    /** Rewrites one file of the newest snapshot, then expects LSN 10 chosen and LSN 20 skipped naming the file. */
    private SkippedSnapshot damage(String file, UnaryOperator<byte[]> edit) throws Exception {
        Path path = newest.resolve(file);
        Files.write(path, edit.apply(Files.readAllBytes(path)));
        SnapshotSelection found = store.newestValid();
        assertEquals(10, found.snapshot().orElseThrow().lsn());
        assertEquals(1, found.skipped().size());
        SkippedSnapshot skipped = found.skipped().get(0);
        assertEquals(20, skipped.lsn());
        assertEquals(newest, skipped.dir());
        assertTrue(skipped.reason().contains(path.toString()), skipped.reason());
        return skipped;
    }

    private static UnaryOperator<byte[]> flipByteAt(int fromEnd) {
        return b -> {
            b[b.length - fromEnd] ^= 0x01;
            return b;
        };
    }

    @Test
    void flippedByteInParquetFileSkipsToTheOlderSnapshot() throws Exception {
        // Byte 200 is inside the column data, not the footer: only the checksum can notice.
        SkippedSnapshot s = damage("t000.parquet", b -> {
            b[Math.min(200, b.length / 2)] ^= 0x40;
            return b;
        });
        assertTrue(s.reason().contains("CRC32C mismatch"), s.reason());
    }

    @Test
    void wrongLengthSkipsToTheOlderSnapshot() throws Exception {
        SkippedSnapshot s = damage("t001.parquet", b -> Arrays.copyOf(b, b.length - 1));
        assertTrue(s.reason().contains("the manifest says"), s.reason());
    }

    @Test
    void manifestNamingAMissingFileIsSkippedWithTheFileNamed() throws Exception {
        Files.delete(newest.resolve("t001.parquet"));
        SnapshotSelection found = store.newestValid();
        assertEquals(10, found.snapshot().orElseThrow().lsn());
        String reason = found.skipped().get(0).reason();
        assertTrue(reason.contains(newest.resolve("t001.parquet").toString()) && reason.contains("missing"), reason);
    }

    @Test
    void garbageManifestIsSkipped() throws Exception {
        SkippedSnapshot s = damage("manifest.json", b -> "{not json at all".getBytes(StandardCharsets.UTF_8));
        assertTrue(s.reason().contains("not a MathDB snapshot manifest"), s.reason());
    }

    @Test
    void flippedByteInsideManifestBodyFailsItsChecksum() throws Exception {
        SkippedSnapshot s = damage("manifest.json", b -> {
            String text = new String(b, StandardCharsets.UTF_8).replace("\"Int64\"", "\"Int32\"");
            return text.getBytes(StandardCharsets.UTF_8);
        });
        assertTrue(s.reason().contains("manifest checksum mismatch"), s.reason());
    }

    @Test
    void truncatedManifestIsSkipped() throws Exception {
        damage("manifest.json", b -> Arrays.copyOf(b, b.length / 2));
    }

    @Test
    void flippedLastByteOfParquetFooterIsSkipped() throws Exception {
        damage("t000.parquet", flipByteAt(1));
    }

    @Test
    void leftoverTempDirIsIgnoredAndRemovedByCleanTemp() throws Exception {
        Path half = dir.resolve("tmp-000000000000001e-0badf00d");
        Files.createDirectory(half);
        Files.write(half.resolve("t000.parquet"), new byte[] {1, 2, 3});
        assertEquals(20, store.newestValid().snapshot().orElseThrow().lsn());
        assertEquals(List.of(20L, 10L), store.list().stream().map(SnapshotInfo::lsn).toList());
        assertEquals(1, store.cleanTemp());
        assertFalse(Files.exists(half));
        assertTrue(Files.isDirectory(newest));
    }

    @Test
    void everySnapshotDamagedFindsNoneAndReportsEach() throws Exception {
        Files.delete(newest.resolve("manifest.json"));
        Files.delete(dir.resolve("snap-000000000000000a").resolve("t000.parquet"));
        SnapshotSelection found = store.newestValid();
        assertTrue(found.snapshot().isEmpty());
        assertEquals(List.of(20L, 10L), found.skipped().stream().map(SkippedSnapshot::lsn).toList());
        assertTrue(found.skipped().get(0).reason().contains("manifest is missing"));
    }

    @Test
    void snapshotsBelowTheOldestReplayableLsnAreNotChosen() {
        SnapshotSelection found = store.newestValid(15);
        assertEquals(20, found.snapshot().orElseThrow().lsn());
        SnapshotSelection none = store.newestValid(21);
        assertTrue(none.snapshot().isEmpty());
        assertEquals(2, none.skipped().size());
    }

    @Test
    void verifyOfADamagedSnapshotThrowsNamingTheFile() throws Exception {
        Path file = newest.resolve("t000.parquet");
        Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> store.verify(20));
        assertEquals(file, e.file());
    }

    @Test
    void namesThatAreNotExactlyOursAreIgnored() throws Exception {
        Files.createDirectory(dir.resolve("snap-00000000000000FF"));
        Files.createDirectory(dir.resolve("snap-ff"));
        Files.createDirectory(dir.resolve("snap-ffffffffffffffff"));
        assertEquals(20, store.newestValid().snapshot().orElseThrow().lsn());
        assertTrue(store.newestValid().skipped().isEmpty());
    }

    @Test
    void noSnapshotsDirectoryMeansNoSnapshotsAndNothingSkipped() {
        SnapshotStore empty = new SnapshotStore(dir.resolve("never-created"));
        assertTrue(empty.newestValid().snapshot().isEmpty());
        assertTrue(empty.newestValid().skipped().isEmpty());
        assertTrue(empty.list().isEmpty());
        assertEquals(0, empty.cleanTemp());
    }
}
