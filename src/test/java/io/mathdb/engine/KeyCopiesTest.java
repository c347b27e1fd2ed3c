package io.mathdb.engine;

import static io.mathdb.engine.Items.ITEMS;
import static io.mathdb.engine.Items.awaitCopy;
import static io.mathdb.engine.Items.insertTextKeys;
import static io.mathdb.engine.Items.row;
import static io.mathdb.engine.Items.rows;
import static io.mathdb.engine.Items.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A table that is written gets a copy of its keys in the heap (a compressed bitmap for integer keys), from which
 * the writer learns which keys exist, so that its writes wait for DuckDB in the backlog like those of a table read by
 * key. The keys must be exactly DuckDB's: a duplicate or a missing row is refused as before, and what reaches DuckDB
 * is what was acknowledged.
 */
class KeyCopiesTest {
    @TempDir
    Path dir;

    /** As {@link RowMirrorsTest#everyKindOfWriteLeavesTheCopyEqualToTheStore}, on a table never read by key. */
    @Test
    void everyKindOfWriteIsRefusedExactlyWhenItShouldBeAndDuckDbEndsWithTheAcknowledgedRows() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 400), OnConflict.ERROR, Durability.DEFAULT);
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Map<Long, Map<String, Object>>>> models = new ArrayList<>();
            long waited = 0;
            for (int c = 0; c < 4; c++) {
                int client = c;
                models.add(clients.submit(() -> RowMirrorsTest.writeRandomly(db, items, client * 100L,
                        new Random(client))));
            }
            while (!models.stream().allMatch(Future::isDone)) {
                waited = Math.max(waited, db.status().backlogRows());
            }
            Map<Long, Map<String, Object>> expected = new HashMap<>();
            for (Future<Map<Long, Map<String, Object>>> model : models) {
                expected.putAll(model.get(2, TimeUnit.MINUTES));
            }
            clients.shutdown();

            assertThat(waited).as("writes waited for DuckDB in the backlog").isPositive();
            assertThat(db.status().mirrorRows()).as("only keys are copied").isZero();
            Map<Long, Map<String, Object>> stored = new HashMap<>();
            for (Object[] r : sql(db, "SELECT id, label, qty FROM items")) {
                stored.put((Long) r[0], row((Long) r[0], (String) r[1], ((Number) r[2]).longValue()));
            }
            assertThat(stored).isEqualTo(expected);
        }
    }

    /**
     * The first write to a table loaded by import starts a scan of its keys while four clients keep deleting,
     * inserting again and patching their own keys: what they commit during the scan must reach the copy, or a later
     * delete of a key re-inserted meanwhile would be refused as missing.
     */
    @Test
    void writesCommittedWhileTheKeysAreScannedReachThem() throws Exception {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS);
            StringBuilder csv = new StringBuilder("id,label,qty\n");
            for (int id = 0; id < 300_000; id++) {
                csv.append(id).append(",item-").append(id).append(',').append(id % 100).append('\n');
            }
            db.importRows("items", new java.io.ByteArrayInputStream(csv.toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)), ImportFormat.CSV, OnConflict.ERROR, Durability.DEFAULT);
            Table items = db.table("items");
            java.util.concurrent.atomic.AtomicBoolean deferred = new java.util.concurrent.atomic.AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                long base = c * 1000L;
                done.add(clients.submit(() -> {
                    int cyclesAfter = 0;
                    int ops = 0;
                    while (cyclesAfter < 2) {
                        for (long key = base; key < base + 1000; key++, ops++) {
                            items.delete(key);
                            items.insert(row(key, "again-" + ops, ops % 100));
                            items.patch(key, Map.of("qty", -1));
                        }
                        if (deferred.get()) {
                            cyclesAfter++;
                        }
                    }
                    return ops;
                }));
            }
            while (!done.stream().allMatch(Future::isDone)) {
                if (db.status().backlogRows() > 0) {
                    deferred.set(true);
                }
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isPositive();
            }
            clients.shutdown();
            assertThat(items.count()).isEqualTo(300_000);
            assertThat(sql(db, "SELECT count(*) FROM items WHERE qty = -1")).containsExactly(new Object[] {4000L});
        }
    }

    @Test
    void aMillionDenseKeysTakeLessThanAMegabyte() {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            items.insert(row(-1, "first", 0)); // starts the copy of the keys while the table is small
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);
            for (long start = 0; start < 1_000_000; start += 50_000) {
                items.insert(rows(start, start + 50_000), OnConflict.ERROR, Durability.DEFAULT);
            }
            assertThat(items.count()).isEqualTo(1_000_001);
            assertThat(db.status().mirrorBytes()).isPositive().isLessThan(1 << 20);
        }
    }

    @Test
    void aTableReadByKeyAfterwardsGetsACopyOfItsRows() {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 100), OnConflict.ERROR, Durability.DEFAULT);
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);
            items.patch(5L, Map.of("qty", 500));

            assertThat(items.get(5L)).contains(row(5, "item-5", 500));
            awaitCopy(db, 100);
            items.delete(6L);
            assertThat(items.get(6L)).isEmpty();
            assertThat(items.count()).isEqualTo(99);
        }
    }

    /**
     * Keys other than integers are kept in a hash set of the values the writer plans with, so two spellings of one
     * key (a Decimal with and without its trailing zero, a date as text and as a value) must meet there as they
     * meet in DuckDB's primary key: a duplicate the copy missed would be refused by DuckDB after it was acknowledged.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Utf8              | a          | a                   | b",
            "Decimal(10,2)     | 1.5        | 1.50                | 2",
            "Date              | 2024-02-29 | DATE:2024-02-29     | 1582-10-04",
            "Datetime          | 2024-02-29T10:00 | 2024-02-29T10:00:00.000000 | 2024-02-29T10:00:00.000001"})
    void keysOfEveryOtherTypeAreCopiedAndRefuseExactlyWhatDuckDbWould(String type, String a, String sameA, String b) {
        try (Database db = Database.open(dir)) {
            Table t = db.create(TableSchema.of("t", Column.key("k", ColumnType.parse(type)),
                    Column.of("n", ColumnType.parse("Int64"))));
            Object otherA = sameA.startsWith("DATE:") ? LocalDate.parse(sameA.substring(5)) : sameA;
            t.insert(Map.of("k", a, "n", 1));
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);

            assertThatThrownBy(() -> t.insert(Map.of("k", otherA, "n", 2)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            assertThatThrownBy(() -> t.delete(b))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.NO_SUCH_ROW));
            assertThatThrownBy(() -> t.patch(b, Map.of("n", 3)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.NO_SUCH_ROW));
            t.upsert(Map.of("k", otherA, "n", 4));
            t.upsert(Map.of("k", b, "n", 5));
            t.delete(otherA);
            t.insert(Map.of("k", a, "n", 6));
            t.patch(b, Map.of("n", 7));

            assertThat(db.status().mirrorRows()).as("only keys are copied").isZero();
            assertThat(sql(db, "SELECT n FROM t ORDER BY n")).containsExactly(new Object[] {6L}, new Object[] {7L});
            assertThat(t.get(a)).map(row -> row.get("n")).contains(6L);
        }
    }

    @Test
    void textKeysThatOutgrowTheirShareOfTheBudgetLoseTheirCopyAndAreWrittenAsBefore() {
        // 256 KB for copies, of which keys may take half: about a thousand short text keys
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(256 << 10))) {
            Table named = db.create(TableSchema.of("named", Column.key("name", ColumnType.parse("Utf8")),
                    Column.of("n", ColumnType.parse("Int64"))));
            named.insert(Map.of("name", "first", "n", 0));
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);
            insertTextKeys(named, 10_000);

            assertThat(db.status().mirrorBytes()).as("the copy was given up").isZero();
            assertThatThrownBy(() -> named.insert(Map.of("name", "key-7", "n", 1)))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
            named.delete("key-8");
            assertThatThrownBy(() -> named.delete("key-8"))
                    .satisfies(e -> assertThat(((MathDbException) e).code()).isEqualTo(ErrorCode.NO_SUCH_ROW));
            assertThat(named.count()).isEqualTo(10_000);
        }
    }

    /** As the first test, on a table with Utf8 keys, whose copy of keys is a hash set. */
    @Test
    void writesToTextKeysAreRefusedExactlyWhenTheyShouldBeAndDuckDbEndsWithTheAcknowledgedRows() throws Exception {
        try (Database db = Database.open(dir)) {
            Table named = db.create(TableSchema.of("named", Column.key("name", ColumnType.parse("Utf8")),
                    Column.of("n", ColumnType.parse("Int64"))));
            named.insert(Map.of("name", "seed", "n", 0));
            awaitCopy(db, () -> db.status().mirrorBytes() > 0 ? 1 : 0);

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Map<String, Long>>> models = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                models.add(clients.submit(() -> writeTextKeysRandomly(named, "c" + client + "-", new Random(client))));
            }
            Map<String, Long> expected = new HashMap<>(Map.of("seed", 0L));
            long waited = 0;
            while (!models.stream().allMatch(Future::isDone)) {
                waited = Math.max(waited, db.status().backlogRows());
            }
            for (Future<Map<String, Long>> model : models) {
                expected.putAll(model.get(2, TimeUnit.MINUTES));
            }
            clients.shutdown();

            assertThat(waited).as("writes waited for DuckDB in the backlog").isPositive();
            Map<String, Long> stored = new HashMap<>();
            for (Object[] r : sql(db, "SELECT name, n FROM named")) {
                stored.put((String) r[0], (Long) r[1]);
            }
            assertThat(stored).isEqualTo(expected);
        }
    }

    /** Random writes to 30 keys of the client's own; checked against the rows they should leave, returned. */
    private static Map<String, Long> writeTextKeysRandomly(Table named, String prefix, Random random) {
        Map<String, Long> model = new HashMap<>();
        for (long step = 1; step <= 400; step++) {
            String key = prefix + random.nextInt(30);
            long n = step;
            Map<String, Object> row = Map.of("name", key, "n", n);
            boolean exists = model.containsKey(key);
            ErrorCode refusal = null;
            Runnable write;
            Runnable expect = () -> model.put(key, n);
            switch (random.nextInt(5)) {
                case 0 -> {
                    refusal = exists ? ErrorCode.DUPLICATE_KEY : null;
                    write = () -> named.insert(row);
                }
                case 1 -> write = () -> named.upsert(row);
                case 2 -> {
                    refusal = exists ? null : ErrorCode.NO_SUCH_ROW;
                    write = () -> named.patch(key, Map.of("n", n));
                }
                case 3 -> {
                    refusal = exists ? null : ErrorCode.NO_SUCH_ROW;
                    write = () -> named.delete(key);
                    expect = () -> model.remove(key);
                }
                default -> {
                    write = () -> named.insert(List.of(row), OnConflict.IGNORE, Durability.DEFAULT);
                    expect = () -> model.putIfAbsent(key, n);
                }
            }
            try {
                write.run();
                assertThat(refusal).as("step %d on %s succeeded", step, key).isNull();
                expect.run();
            } catch (MathDbException refused) {
                assertThat(refused.code()).as("step %d on %s: %s", step, key, refused.getMessage()).isEqualTo(refusal);
            }
        }
        return model;
    }
}
