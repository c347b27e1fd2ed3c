package io.mathdb.engine;

import static io.mathdb.engine.Items.ITEMS;
import static io.mathdb.engine.Items.awaitCopy;
import static io.mathdb.engine.Items.insertTextKeys;
import static io.mathdb.engine.Items.row;
import static io.mathdb.engine.Items.rows;
import static io.mathdb.engine.Items.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.query.RowSink;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's unique index on a table's key is dropped while a live copy of the table's keys keeps them unique, and
 * built again once a write meets the table without a copy. Whichever of the two the table has, a duplicate key or a
 * missing row is refused exactly as before, and DuckDB ends with the acknowledged rows.
 */
class KeyIndexTest {
    @TempDir
    Path dir;

    @Test
    void aTableWhoseKeysAreCopiedHasNoKeyIndexAndStillRefusesDuplicates() throws SQLException {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            assertThat(keyIndexes(db, "items")).as("a new table has its key index").isEqualTo(1);
            items.insert(rows(0, 100), OnConflict.ERROR, Durability.DEFAULT);
            awaitKeyCopy(db);

            assertThat(keyIndexes(db, "items")).isZero();
            assertThatThrownBy(() -> items.insert(row(5, "again", 1)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            assertThatThrownBy(() -> items.insert(withRepeat(), OnConflict.ERROR, Durability.DEFAULT))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            items.upsert(row(6, "upserted", 6));
            items.upsert(row(100, "new", 100));
            assertThat(sql(db, "SELECT count(*), count(DISTINCT id) FROM items"))
                    .containsExactly(new Object[] {101L, 101L});
            assertThat(sql(db, "SELECT label FROM items WHERE id = 6")).containsExactly(new Object[] {"upserted"});
        }
    }

    /** A table dropped while its index was dropped and created again under the same name starts with its index. */
    @Test
    void aTableCreatedAgainUnderTheNameOfOneWithoutItsIndexHasItsIndex() throws SQLException {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(0))) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 10), OnConflict.ERROR, Durability.DEFAULT);
            db.writer().between(() -> {
                try {
                    db.store().dropKeyIndex(ITEMS); // as a copy going live would, in a database that keeps none
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }).join();
            assertThat(keyIndexes(db, "items")).isZero();
            db.drop("ITEMS", Durability.DEFAULT);

            Table again = db.create(ITEMS);
            again.insert(rows(0, 10), OnConflict.ERROR, Durability.DEFAULT);
            assertThat(keyIndexes(db, "items")).isEqualTo(1);
            assertThatThrownBy(() -> again.insert(row(5, "again", 1)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            assertThat(again.count()).isEqualTo(10);
        }
    }

    /** A batch whose last row repeats its first key. */
    private static List<Map<String, Object>> withRepeat() {
        List<Map<String, Object>> batch = new ArrayList<>(rows(200, 210));
        batch.add(row(200, "repeat", 0));
        return batch;
    }

    /**
     * A reader that began before a key was deleted and inserted again keeps both versions of the key in DuckDB, and
     * DuckDB will not build a unique index over them. A table whose copy was given up meanwhile is written without its
     * index, every key looked up, until the reader is gone; then a write builds the index again.
     */
    @Test
    void aTableThatLostItsCopyWhileAnOldReaderWasOpenIsCheckedWithoutItsIndexUntilTheReaderEnds() throws Exception {
        // 256 KB for copies, of which keys may take half: about a thousand short text keys
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(256 << 10))) {
            Table named = db.create(TableSchema.of("named", Column.key("name", ColumnType.parse("Utf8")),
                    Column.of("n", ColumnType.parse("Int64"))));
            named.insert(Map.of("name", "first", "n", 0));
            awaitKeyCopy(db);
            assertThat(keyIndexes(db, "named")).isZero();

            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> oldReader = CompletableFuture.runAsync(() -> holdOpen(db,
                    "SELECT name FROM named", reading, release));
            try {
                assertThat(reading.await(1, TimeUnit.MINUTES)).isTrue();
                named.delete("first");
                named.insert(Map.of("name", "first", "n", 1));
                insertTextKeys(named, 10_000); // gives the copy up, and writes go to DuckDB from then on

                assertThat(db.status().mirrorBytes()).as("the copy was given up").isZero();
                assertThat(keyIndexes(db, "named")).as("the index cannot be built yet").isZero();
                assertRefusals(named);
            } finally {
                release.countDown();
            }
            oldReader.get(1, TimeUnit.MINUTES);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            for (int n = 0; keyIndexes(db, "named") == 0; n++) { // a failed build is tried again at a later write
                assertThat(System.nanoTime()).as("index built within a minute").isLessThan(deadline);
                named.upsert(Map.of("name", "first", "n", n));
                Thread.sleep(50);
            }
            assertRefusals(named);
            assertThat(named.count()).isEqualTo(10_001);
        }
    }

    /**
     * A group that also writes to a table without a copy goes to DuckDB directly; a table in it whose copy is live
     * has no index to catch a key the writer trusted to be new, so every key of the group is looked up.
     */
    @Test
    void aBatchAcrossATableWithoutItsIndexAndOneWithoutACopyRefusesAnExistingKey() throws SQLException {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(256 << 10))) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 100), OnConflict.ERROR, Durability.DEFAULT);
            awaitKeyCopy(db);
            Table named = db.create(TableSchema.of("named", Column.key("name", ColumnType.parse("Utf8")),
                    Column.of("n", ColumnType.parse("Int64"))));
            insertTextKeys(named, 10_000); // more keys than the budget takes: no copy
            assertThat(keyIndexes(db, "items")).isZero();

            assertThatThrownBy(() -> db.batch(List.of(RowOp.insert("items", row(5, "again", 1)),
                    RowOp.insert("named", Map.of("name", "fresh", "n", 1))), Durability.DEFAULT))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            db.batch(List.of(RowOp.upsert("items", row(5, "upserted", 5)), RowOp.insert("items", row(500, "new", 0)),
                    RowOp.upsert("named", Map.of("name", "key-1", "n", -1))), Durability.DEFAULT);

            assertThat(sql(db, "SELECT count(*), count(DISTINCT id) FROM items"))
                    .containsExactly(new Object[] {101L, 101L});
            assertThat(sql(db, "SELECT label FROM items WHERE id = 5")).containsExactly(new Object[] {"upserted"});
            assertThat(named.get("fresh")).isEmpty();
            assertThat(named.get("key-1")).map(r -> r.get("n")).contains(-1L);
        }
    }

    /** A table read by key whose rows do not fit the budget is read from DuckDB, which needs the index back. */
    @Test
    void aTableWhoseCopyIsGivenUpGetsItsIndexBackWithoutAnotherWrite() throws SQLException {
        // 20k rows need ~3 MB as a copy of rows; their keys, dense, a few KB
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(256 << 10))) {
            Table items = db.create(ITEMS);
            for (long from = 0; from < 20_000; from += 5000) {
                items.insert(rows(from, from + 5000), OnConflict.ERROR, Durability.DEFAULT);
            }
            awaitKeyCopy(db);
            assertThat(keyIndexes(db, "items")).isZero();

            assertThat(items.get(5L)).contains(row(5, "item-5", 5)); // gives the copy of keys up for one of rows
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (keyIndexes(db, "items") == 0) { // built on the writer thread, after the copy of rows is refused
                assertThat(System.nanoTime()).as("index built within a minute").isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(db.status().mirrorBytes()).isZero();
            assertThat(items.get(7L)).contains(row(7, "item-7", 7));
        }
    }

    /** As above while an old reader keeps DuckDB from building the index: it is tried again once the reader ends. */
    @Test
    void anIndexThatCouldNotBeBuiltWhenItsCopyWasGivenUpIsBuiltOnceTheOldReaderEnds() throws Exception {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(256 << 10))) {
            Table items = db.create(ITEMS);
            for (long from = 0; from < 20_000; from += 5000) {
                items.insert(rows(from, from + 5000), OnConflict.ERROR, Durability.DEFAULT);
            }
            awaitKeyCopy(db);
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> oldReader = CompletableFuture.runAsync(() -> holdOpen(db,
                    "SELECT id FROM items", reading, release));
            try {
                assertThat(reading.await(1, TimeUnit.MINUTES)).isTrue();
                items.delete(5L);
                items.insert(row(5, "again", 5)); // two versions of key 5 while the reader is open
                assertThat(items.get(5L)).contains(row(5, "again", 5)); // gives the copy up; the build fails
                awaitIndexTries(db);
                assertThat(keyIndexes(db, "items")).isZero();
            } finally {
                release.countDown();
            }
            oldReader.get(1, TimeUnit.MINUTES);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (keyIndexes(db, "items") == 0) { // no write: the copy's own retries build it
                assertThat(System.nanoTime()).as("index built within a minute").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(items.count()).isEqualTo(20_000);
        }
    }

    /** Waits until the copy of rows was refused and the writer has run the first try at the index after it. */
    private static void awaitIndexTries(Database db) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (db.status().mirrorBytes() > 0 || db.status().mirrorRows() > 0) {
            assertThat(System.nanoTime()).as("copy given up within a minute").isLessThan(deadline);
            Thread.onSpinWait();
        }
        for (int i = 0; i < 3; i++) { // the refusal, then the try it queued, each between two groups
            db.writer().between(() -> null).join();
        }
    }

    private static void assertRefusals(Table named) {
        assertThatThrownBy(() -> named.insert(Map.of("name", "first", "n", 2)))
                .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
        assertThatThrownBy(() -> named.insert(List.of(Map.of("name", "key-7", "n", 2)), OnConflict.ERROR,
                Durability.DEFAULT))
                .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
        assertThatThrownBy(() -> named.patch("missing", Map.of("n", 2)))
                .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.NO_SUCH_ROW));
        named.upsert(Map.of("name", "key-8", "n", -8));
        assertThat(named.get("key-8")).map(r -> r.get("n")).contains(-8L);
    }

    /** An import that replaces rows of a table without its index replaces them exactly, and so does its replay. */
    @Test
    void anImportThatReplacesRowsOfATableWithoutItsIndexLeavesOneRowPerKey() throws SQLException {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 100), OnConflict.ERROR, Durability.DEFAULT);
            awaitKeyCopy(db);
            assertThat(keyIndexes(db, "items")).isZero();

            String csv = "id,label,qty\n5,five,55\n150,new,1\n5,five-again,56\n";
            db.importRows("items", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ImportFormat.CSV,
                    OnConflict.UPDATE, Durability.DEFAULT);
            assertImported(db);
            assertThatThrownBy(() -> items.insert(row(150, "again", 1)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.status().recovery().snapshotLsn()).as("the log replayed, not a snapshot").isZero();
            assertImported(db);
            assertThat(keyIndexes(db, "items")).as("recovery builds every key index").isEqualTo(1);
        }
    }

    /** Recovery loads a snapshot's rows into tables without their index, then builds it. */
    @Test
    void aTableRestoredFromASnapshotHasItsKeyIndex() throws SQLException {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS).insert(rows(0, 1000), OnConflict.ERROR, Durability.DEFAULT);
            db.snapshot();
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.status().recovery().snapshotLsn()).isPositive();
            assertThat(keyIndexes(db, "items")).isEqualTo(1);
            Table items = db.table("items");
            assertThatThrownBy(() -> items.insert(row(5, "again", 1)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            items.upsert(row(5, "upserted", 5));
            assertThat(items.count()).isEqualTo(1000);
        }
    }

    private static void assertImported(Database db) {
        assertThat(sql(db, "SELECT count(*), count(DISTINCT id) FROM items"))
                .containsExactly(new Object[] {101L, 101L});
        assertThat(sql(db, "SELECT label, qty FROM items WHERE id = 5"))
                .containsExactly(new Object[] {"five-again", 56L});
    }

    /**
     * Waits until the copy of the written table's keys is live and the writer has dropped its index: the copy's size
     * shows while the writer is still at it, so a task the writer runs next waits for the rest.
     */
    private static void awaitKeyCopy(Database db) {
        awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);
        db.writer().between(() -> null).join();
    }

    /** The indexes DuckDB holds on the table: read SQL may not see them. */
    private static long keyIndexes(Database db, String table) throws SQLException {
        try (Connection c = db.store().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_indexes() WHERE table_name = '"
                     + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code sql}, holding its read transaction open from its first row until {@code release}. */
    private static void holdOpen(Database db, String sql, CountDownLatch reading, CountDownLatch release) {
        db.queries().sql(sql, List.of(), null, Long.MAX_VALUE, new RowSink() {
            @Override
            public void start(Header header) {
            }

            @Override
            public void row(Object[] values) {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void end(boolean truncated) {
            }
        });
    }
}
