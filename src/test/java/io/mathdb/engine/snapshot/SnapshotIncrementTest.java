package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that only had rows appended since the writer's last snapshot gets only those rows written; its other files
 * are hard links to the last snapshot's, and every snapshot still loads on its own.
 */
class SnapshotIncrementTest {
    private static final String ITEMS = "items";

    @TempDir
    Path dir;

    private final SnapshotWriter writer = new SnapshotWriter();

    @Test
    void aTableOnlyAppendedToGetsOnlyItsNewRowsWrittenAndItsFirstFileLinked() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            append(db, 1001, 1100);
            SnapshotInfo info = db.snapshot(writer, dir, 2, List.of(items), Set.of(ITEMS));

            assertEquals(List.of("manifest.json", "t000-0000000000000002.parquet", "t000.parquet"), files(info.dir()));
            assertTrue(Files.isSameFile(snap(1).resolve("t000.parquet"), snap(2).resolve("t000.parquet")));
            assertEquals(1100L, info.rowCounts().get(ITEMS));
            Manifest.Entry entry = SnapshotVerifier.readManifest(snap(2), 2).tables().get(0);
            assertEquals(1000, entry.rows());
            assertEquals(100, entry.appended().get(0).rows());
        }
        assertLoads(2, 1100);
    }

    @Test
    void aTableNotVouchedForIsWrittenWhole() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            db.exec("DELETE FROM items WHERE id = 7");
            append(db, 1001, 1100);
            SnapshotInfo info = db.snapshot(writer, dir, 2, List.of(items), Set.of());

            assertEquals(List.of("manifest.json", "t000.parquet"), files(info.dir()));
            assertFalse(Files.isSameFile(snap(1).resolve("t000.parquet"), snap(2).resolve("t000.parquet")));
        }
        assertLoads(2, 1099);
    }

    @Test
    void afterEightAppendedFilesTheNextIncrementWritesAllAppendedRowsAsOne() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            for (int lsn = 2; lsn <= 2 + SnapshotWriter.MAX_APPENDED_FILES; lsn++) {
                append(db, 1000 + (lsn - 2) * 10L + 1, 1000 + (lsn - 1) * 10L);
                db.snapshot(writer, dir, lsn, List.of(items), Set.of(ITEMS));
            }
        }
        int eighth = 1 + SnapshotWriter.MAX_APPENDED_FILES;
        assertEquals(SnapshotWriter.MAX_APPENDED_FILES,
                SnapshotVerifier.readManifest(snap(eighth), eighth).tables().get(0).appended().size());
        Manifest.Entry merged = SnapshotVerifier.readManifest(snap(eighth + 1), eighth + 1).tables().get(0);
        assertEquals(1, merged.appended().size());
        assertEquals(10L * (SnapshotWriter.MAX_APPENDED_FILES + 1), merged.appended().get(0).rows());
        assertLoads(eighth + 1, 1000 + 10 * (SnapshotWriter.MAX_APPENDED_FILES + 1));
    }

    @Test
    void aTableThatGrewByMoreThanHalfIsWrittenWholeAgain() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            append(db, 1001, 1600);
            SnapshotInfo info = db.snapshot(writer, dir, 2, List.of(items), Set.of(ITEMS));

            assertEquals(List.of("manifest.json", "t000.parquet"), files(info.dir()));
        }
        assertLoads(2, 1600);
    }

    @Test
    void aTableKeepsItsFilesUnderItsNewPositionWhenAnEarlierTableIsDropped() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema gone = db.simpleTable("gone", 10);
            TableSchema items = db.simpleTable(ITEMS, 1000);
            db.snapshot(writer, dir, 1, List.of(gone, items), Set.of());
            append(db, 1001, 1010);
            db.snapshot(writer, dir, 2, List.of(gone, items), Set.of("gone", ITEMS));
            db.exec("DROP TABLE gone");
            append(db, 1011, 1020);
            SnapshotInfo info = db.snapshot(writer, dir, 3, List.of(items), Set.of(ITEMS));

            assertEquals(List.of("manifest.json", "t000-0000000000000002.parquet", "t000-0000000000000003.parquet",
                    "t000.parquet"), files(info.dir()));
            assertTrue(Files.isSameFile(snap(1).resolve("t001.parquet"), snap(3).resolve("t000.parquet")));
        }
        assertLoads(3, 1020);
    }

    @Test
    void deletingTheEarlierSnapshotLeavesTheLaterWhole() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            append(db, 1001, 1100);
            db.snapshot(writer, dir, 2, List.of(items), Set.of(ITEMS));
        }
        DiskFiles.deleteTree(snap(1));
        assertLoads(2, 1100);
    }

    @Test
    void aDamagedFileOfAppendedRowsMakesTheSnapshotInvalidNamingIt() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = firstSnapshot(db);
            append(db, 1001, 1100);
            db.snapshot(writer, dir, 2, List.of(items), Set.of(ITEMS));
        }
        Path appended = snap(2).resolve("t000-0000000000000002.parquet");
        byte[] bytes = Files.readAllBytes(appended);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(appended, bytes);

        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> SnapshotVerifier.verify(snap(2), 2));
        assertEquals(appended, e.file());
        assertEquals(1, new SnapshotStore(dir).newestValid().snapshot().orElseThrow().lsn(), "the older one is used");
    }

    @Test
    void aSnapshotWithAFormatOneManifestStillLoads() throws Exception {
        try (TestDb db = new TestDb()) {
            db.snapshot(dir, 1, List.of(db.simpleTable(ITEMS, 1000)));
        }
        Path manifest = snap(1).resolve(SnapshotFormat.MANIFEST);
        String text = Files.readString(manifest);
        String body = text.substring(text.indexOf("\"manifest\":") + "\"manifest\":".length(), text.length() - 2)
                .replace("\"format\":2", "\"format\":1").replace("\"appended\":[],", "");
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(manifest, "{\"crc32c\":\"" + SnapshotFormat.hex8(crc.getValue()) + "\",\"manifest\":" + body
                + "}\n");
        assertFalse(Files.readString(manifest).contains("appended"));

        assertLoads(1, 1000);
    }

    /** Items 1..1000, and the writer's first snapshot of them, at LSN 1. */
    private TableSchema firstSnapshot(TestDb db) throws Exception {
        TableSchema items = db.simpleTable(ITEMS, 1000);
        db.snapshot(writer, dir, 1, List.of(items), Set.of(ITEMS));
        return items;
    }

    private static void append(TestDb db, long from, long to) throws Exception {
        db.exec("INSERT INTO items SELECT i, 'row ' || i FROM range(" + from + ", " + (to + 1) + ") t(i)");
    }

    private Path snap(long lsn) {
        return dir.resolve(SnapshotFormat.snapshotDirName(lsn));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The snapshot at {@code lsn} verifies and loads into a fresh database as items 1..rows (minus any deleted). */
    private void assertLoads(long lsn, long rows) throws Exception {
        VerifiedSnapshot snap = SnapshotVerifier.verify(snap(lsn), lsn);
        try (TestDb target = new TestDb()) {
            SnapshotLoader.load(snap, target.conn, target::create);
            assertEquals(rows, target.count(ITEMS));
            assertEquals(List.of(List.of("0")), target.rows(
                    "SELECT count(*) FROM items WHERE label <> 'row ' || id"), "every row as written");
        }
    }
}
