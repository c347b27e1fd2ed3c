package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The engine writes only appended rows into a snapshot when a table had nothing but inserts since the last one, and
 * the whole table after any other change to it, after a restart, or after an import into it; whatever it wrote,
 * reopening gives back every acknowledged write.
 */
class IncrementalSnapshotsTest {
    private static final TableSchema ITEMS = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
            Column.of("label", ColumnType.parse("Utf8")));

    @TempDir
    Path dir;

    private final Map<Long, String> expected = new HashMap<>();

    @Test
    void onlyInsertsSinceTheLastSnapshotAreWrittenAsAppendedRows() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            insert(items, 1, 200);
            assertThat(appendedFiles(db.snapshot())).isEmpty();
            insert(items, 201, 210);
            assertThat(appendedFiles(db.snapshot())).as("whole until two copies share no file").isEmpty();
            insert(items, 211, 220);
            assertThat(appendedFiles(db.snapshot())).hasSize(1);
            insert(items, 221, 230);
            assertThat(appendedFiles(db.snapshot())).as("the earlier file is linked, one more written").hasSize(2);
        }
        assertReopensWithEveryWrite();
    }

    @Test
    void anyOtherChangeToTheTableMakesTheNextSnapshotWriteItWhole() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            insert(items, 1, 200);
            db.snapshot();
            List<Runnable> changes = List.of(
                    () -> items.delete(5L),
                    () -> items.update(6L, Map.of("id", 6L, "label", "six")),
                    () -> items.patch(7L, Map.of("label", "seven")),
                    () -> items.upsert(Map.of("id", 8L, "label", "eight")));
            long next = 201;
            for (Runnable change : changes) {
                insert(items, next, next + 9);
                next += 10;
                change.run();
                assertThat(appendedFiles(db.snapshot())).isEmpty();
                insert(items, next, next + 9);
                next += 10;
                assertThat(appendedFiles(db.snapshot())).as("inserts alone again").hasSize(1);
            }
            expected.remove(5L);
            expected.put(6L, "six");
            expected.put(7L, "seven");
            expected.put(8L, "eight");
        }
        assertReopensWithEveryWrite();
    }

    @Test
    void theFirstSnapshotAfterARestartWritesEveryTableWhole() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            insert(items, 1, 200);
            db.snapshot();
        }
        try (Database db = Database.open(dir)) {
            insert(db.table("items"), 201, 210);
            assertThat(appendedFiles(db.snapshot())).isEmpty();
            insert(db.table("items"), 211, 220);
            assertThat(appendedFiles(db.snapshot())).hasSize(1);
        }
        assertReopensWithEveryWrite();
    }

    @Test
    void anImportMakesTheNextSnapshotWriteItsTableWholeAndNoOther() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            Table others = db.create(TableSchema.of("others", Column.key("id", ColumnType.parse("Int64"))));
            insert(items, 1, 200);
            List<Map<String, Object>> keys = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                keys.add(Map.of("id", id));
            }
            others.insert(keys, OnConflict.ERROR, Durability.DEFAULT);
            db.snapshot();
            insert(items, 201, 210);
            db.snapshot();
            StringBuilder csv = new StringBuilder("id,label\n");
            for (long id = 211; id <= 220; id++) {
                csv.append(id).append(",imported ").append(id).append('\n');
                expected.put(id, "imported " + id);
            }
            db.importRows("items", new java.io.ByteArrayInputStream(csv.toString().getBytes()), ImportFormat.CSV,
                    OnConflict.ERROR, Durability.DEFAULT);
            others.insert(List.of(Map.of("id", 101L)), OnConflict.ERROR, Durability.DEFAULT);
            SnapshotStatus snapshot = db.snapshot();
            assertThat(appendedPartsOf(snapshot, "items")).as("items, imported into, written whole").isZero();
            assertThat(appendedPartsOf(snapshot, "others")).as("others, only appended to").isEqualTo(1);
        }
        assertReopensWithEveryWrite();
    }

    @Test
    void theOlderSnapshotKeptSharesNoFileWithTheNewestSoADamagedOneLeavesAWholeCopy() throws Exception {
        SnapshotStatus older;
        SnapshotStatus newest;
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            insert(items, 1, 200);
            older = db.snapshot();
            insert(items, 201, 210);
            SnapshotStatus shared = db.snapshot();
            insert(items, 211, 220);
            newest = db.snapshot();
            assertThat(appendedFiles(newest)).hasSize(1);
            assertThat(snapshotDir(shared)).as("it shares its file with the newest: no second copy").doesNotExist();
            assertThat(Files.isSameFile(snapshotDir(older).resolve("t000.parquet"),
                    snapshotDir(newest).resolve("t000.parquet"))).isFalse();
            insert(items, 221, 230);
        }
        // One bad sector in the newest snapshot's first file: the older copy and the log since it hold everything.
        Path damaged = snapshotDir(newest).resolve("t000.parquet");
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x08;
        Files.write(damaged, bytes);
        assertReopensWithEveryWrite();
    }

    private void insert(Table items, long from, long to) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            rows.add(Map.of("id", id, "label", "row " + id));
            expected.put(id, "row " + id);
        }
        items.insert(rows, OnConflict.ERROR, Durability.DEFAULT);
    }

    private Path snapshotDir(SnapshotStatus snapshot) {
        return dir.resolve("snapshots").resolve(String.format(Locale.ROOT, "snap-%016x", snapshot.lsn()));
    }

    private List<String> appendedFiles(SnapshotStatus snapshot) throws Exception {
        try (Stream<Path> files = Files.list(snapshotDir(snapshot))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains("-")).sorted().toList();
        }
    }

    private int appendedPartsOf(SnapshotStatus snapshot, String table) throws Exception {
        Path file = snapshotDir(snapshot).resolve("manifest.json");
        JsonNode manifest = new ObjectMapper().readTree(Files.readString(file));
        for (JsonNode t : manifest.get("manifest").get("tables")) {
            if (t.get("name").asString().equals(table)) {
                return t.get("appended").size();
            }
        }
        throw new AssertionError("no table " + table + " in " + manifest);
    }

    /** Reopened from the newest snapshot alone (the log after it is empty), every row is as acknowledged. */
    private void assertReopensWithEveryWrite() {
        try (Database db = Database.open(dir)) {
            Table items = db.table("items");
            assertThat(items.count()).isEqualTo(expected.size());
            expected.forEach((id, label) -> assertThat(items.get(id).orElseThrow()).containsEntry("label", label));
        }
    }
}
