package io.mathdb.engine;

import static io.mathdb.engine.Items.ITEMS;
import static io.mathdb.engine.Items.awaitCopy;
import static io.mathdb.engine.Items.copiedItems;
import static io.mathdb.engine.Items.row;
import static io.mathdb.engine.Items.rows;
import static io.mathdb.engine.Items.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads by key are answered from an in-heap copy of the table once it is live ({@link
 * io.mathdb.engine.store.RowMirrors}). The copy must answer exactly what DuckDB holds, after every kind of write, while
 * it is being built, across imports, drops and failures, and never show a row older than an acknowledged write.
 */
class RowMirrorsTest {
    @TempDir
    Path dir;

    @Test
    void readsByKeyComeFromTheCopyOnceItIsLive() {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            items.insert(rows(0, 1000), OnConflict.ERROR, Durability.DEFAULT);
            assertThat(db.status().mirrorRows()).isZero();

            assertThat(items.get(7L)).contains(row(7, "item-7", 7));
            awaitCopy(db, 1000);

            assertThat(db.status().mirrorBytes()).isPositive();
            assertThat(items.get(999L)).contains(row(999, "item-999", 999 % 100));
            assertThat(items.get(1000L)).isEmpty();
            assertThat(items.get(12)).as("keys are coerced before the copy is asked").contains(row(12, "item-12", 12));
        }
    }

    /**
     * Four clients at once, each on keys of its own so that its expected rows are known, send every kind of write,
     * many of them refused (duplicate keys, missing rows): each is refused exactly when it should be, and the copy,
     * which also tells the writer which keys exist, stays equal to DuckDB.
     */
    @Test
    void everyKindOfWriteLeavesTheCopyEqualToTheStore() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 400);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Map<Long, Map<String, Object>>>> models = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                models.add(clients.submit(() -> writeRandomly(db, items, client * 100L, new Random(client))));
            }
            Map<Long, Map<String, Object>> expected = new HashMap<>();
            for (Future<Map<Long, Map<String, Object>>> model : models) {
                expected.putAll(model.get(2, TimeUnit.MINUTES));
            }
            clients.shutdown();
            for (long key = 0; key < 400; key++) {
                assertThat(items.get(key).orElse(null)).as("key %d", key).isEqualTo(expected.get(key));
            }
            assertCopyEqualsStore(db, items, 400);
            assertThat(db.status().mirrorRows()).isEqualTo(items.count()).isEqualTo(expected.size());
        }
    }

    /** Random writes to keys {@code base..base+99}, checked against the rows they should leave; returns those. */
    static Map<Long, Map<String, Object>> writeRandomly(Database db, Table items, long base, Random random) {
        Map<Long, Map<String, Object>> model = new HashMap<>();
        for (long id = base; id < base + 100; id++) {
            model.put(id, row(id, "item-" + id, id % 100));
        }
        for (int s = 0; s < 300; s++) {
            int step = s;
            long key = base + random.nextInt(98);
            Map<String, Object> row = row(key, "v" + step, step);
            Map<Long, Map<String, Object>> after = new HashMap<>(model);
            ErrorCode refusal = null;
            Runnable write;
            switch (random.nextInt(8)) {
                case 0 -> {
                    refusal = after.putIfAbsent(key, row) == null ? null : ErrorCode.DUPLICATE_KEY;
                    write = () -> items.insert(row);
                }
                case 1 -> {
                    after.put(key, row);
                    write = () -> items.upsert(row);
                }
                case 2 -> {
                    after.putIfAbsent(key, row);
                    write = () -> items.insert(List.of(row), OnConflict.IGNORE, Durability.DEFAULT);
                }
                case 3 -> {
                    refusal = after.replace(key, row) == null ? ErrorCode.NO_SUCH_ROW : null;
                    write = () -> items.update(key, row);
                }
                case 4 -> {
                    refusal = set(after, key, "qty", (long) step);
                    write = () -> items.patch(key, Map.of("qty", step));
                }
                case 5 -> {
                    String label = step % 2 == 0 ? "p" + step : null;
                    refusal = set(after, key, "label", label);
                    write = () -> items.patch(key, label == null ? nullLabel() : Map.of("label", label));
                }
                case 6 -> {
                    refusal = after.remove(key) == null ? ErrorCode.NO_SUCH_ROW : null;
                    write = () -> items.delete(key);
                }
                default -> {
                    after.put(key + 1, row(key + 1, "b" + step, 1));
                    refusal = set(after, key, "qty", (long) -step);
                    if (refusal == null && after.remove(key + 2) == null) {
                        refusal = ErrorCode.NO_SUCH_ROW;
                    }
                    write = () -> db.batch(List.of(RowOp.upsert("items", row(key + 1, "b" + step, 1)),
                            RowOp.patch("items", key, Map.of("qty", -step)), RowOp.delete("items", key + 2)),
                            Durability.DEFAULT);
                }
            }
            try {
                write.run();
                assertThat(refusal).as("step %d on key %d succeeded", step, key).isNull();
                model = after;
            } catch (MathDbException refused) {
                assertThat(refused.code()).as("step %d on key %d: %s", step, key, refused.getMessage())
                        .isEqualTo(refusal);
            }
        }
        return model;
    }

    /** Sets one column of the expected row; the refusal a patch of a missing row gets, else null. */
    private static ErrorCode set(Map<Long, Map<String, Object>> rows, long key, String column, Object value) {
        Map<String, Object> row = rows.get(key);
        if (row == null) {
            return ErrorCode.NO_SUCH_ROW;
        }
        Map<String, Object> changed = new java.util.LinkedHashMap<>(row);
        changed.put(column, value);
        rows.put(key, changed);
        return null;
    }

    @Test
    void writesCommittedWhileTheCopyIsBuiltReachIt() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            for (int start = 0; start < 200_000; start += 50_000) {
                items.insert(rows(start, start + 50_000), OnConflict.ERROR, Durability.DEFAULT);
            }
            AtomicBoolean live = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long base = w * 50_000L;
                done.add(writers.submit(() -> {
                    int writes = 0;
                    // keep changing rows until the copy is live, and a little after
                    for (int afterLive = 0; afterLive < 50; writes++) {
                        long key = base + (writes * 7919L) % 50_000;
                        switch (writes % 3) {
                            case 0 -> items.patch(key, Map.of("label", "changed-" + writes));
                            case 1 -> items.delete(key);
                            default -> items.upsert(row(key, "new-" + writes, writes % 1000));
                        }
                        if (live.get()) {
                            afterLive++;
                        }
                    }
                    return writes;
                }));
            }
            items.get(1L);
            awaitCopy(db, () -> db.status().mirrorRows());
            live.set(true);
            for (Future<Integer> f : done) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isPositive();
            }
            writers.shutdown();
            assertCopyEqualsStore(db, items, 200_000);
        }
    }

    @Test
    void aReadAfterAnAcknowledgedWriteNeverSeesAnOlderRow() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = db.create(ITEMS);
            List<Map<String, Object>> zeros = new ArrayList<>();
            for (long id = 0; id < 64; id++) {
                zeros.add(row(id, "counter", 0));
            }
            items.insert(zeros, OnConflict.ERROR, Durability.DEFAULT);
            items.get(0L);
            awaitCopy(db, 64);
            AtomicBoolean stop = new AtomicBoolean();
            long[] acknowledged = new long[64];
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int writer = w;
                    tasks.add(pool.submit(() -> {
                        for (int v = 1; v <= 2000; v++) {
                            int key = (v * 31 + writer) % 64;
                            if (key % 2 != writer) {
                                continue; // each writer owns half the keys, so its values only grow
                            }
                            items.patch((long) key, Map.of("qty", v));
                            synchronized (acknowledged) {
                                acknowledged[key] = v;
                            }
                            assertThat(qty(items, key)).as("own write to key %d", key).isGreaterThanOrEqualTo(v);
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < 4; r++) {
                    tasks.add(pool.submit(() -> {
                        long[] seen = new long[64];
                        for (int i = 0; !stop.get(); i++) {
                            int key = i % 64;
                            long floor;
                            synchronized (acknowledged) {
                                floor = acknowledged[key];
                            }
                            if (i % 4 == 0) {
                                // what SQL has shown, a read by key shows too: the copy is never behind DuckDB
                                floor = Math.max(floor, storeQty(db, key));
                            }
                            long qty = qty(items, key);
                            assertThat(qty).as("key %d after %d was acknowledged or seen", key, floor)
                                    .isGreaterThanOrEqualTo(Math.max(floor, seen[key]));
                            seen[key] = qty;
                        }
                        return null;
                    }));
                }
                tasks.get(0).get(2, TimeUnit.MINUTES);
                tasks.get(1).get(2, TimeUnit.MINUTES);
                stop.set(true);
                for (Future<?> t : tasks) {
                    t.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertCopyEqualsStore(db, items, 64);
        }
    }

    @Test
    void aTableOverTheBudgetIsReadFromDuckDbAndTakesNoneOfIt() {
        // about 100 bytes a row: room for the small table, not for the large one
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(200_000))) {
            Table large = db.create(TableSchema.of("large", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("label", ColumnType.parse("Utf8")), Column.of("qty", ColumnType.parse("Int32"))));
            Table small = db.create(ITEMS);
            large.insert(rows(0, 20_000), OnConflict.ERROR, Durability.DEFAULT);
            small.insert(rows(0, 100), OnConflict.ERROR, Durability.DEFAULT);

            assertThat(large.get(5L)).contains(row(5, "item-5", 5));
            small.get(5L); // copies are built one at a time, in the order asked: large's attempt is over first
            awaitCopy(db, 100);

            assertThat(db.status().mirrorBytes()).isLessThanOrEqualTo(200_000);
            assertThat(large.get(19_999L)).contains(row(19_999, "item-19999", 99));
            large.insert(row(20_000, "late", 1));
            assertThat(large.get(20_000L)).contains(row(20_000, "late", 1));
        }
    }

    @Test
    void aCopyThatOutgrowsTheBudgetIsGivenUpAndReadsGoOnFromDuckDb() {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(200_000))) {
            Table items = copiedItems(db, 100);

            items.insert(rows(100, 20_000), OnConflict.ERROR, Durability.DEFAULT);

            assertThat(db.status().mirrorRows()).isZero();
            assertThat(db.status().mirrorBytes()).isZero();
            assertThat(items.get(19_999L)).contains(row(19_999, "item-19999", 99));
            assertThat(items.get(50L)).contains(row(50, "item-50", 50));
        }
    }

    @Test
    void rowsThatGrowAfterTheCopyIsLiveCountAgainstTheBudget() {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(200_000))) {
            Table items = copiedItems(db, 10);
            long small = db.status().mirrorBytes();

            items.patch(3L, Map.of("label", "x".repeat(20_000)));
            assertThat(db.status().mirrorBytes()).as("a longer value takes more").isGreaterThan(small + 20_000);
            for (long id = 0; id < 10; id++) {
                items.patch(id, Map.of("label", "y".repeat(20_000))); // ~400 KB in all: more than the budget
            }

            assertThat(db.status().mirrorRows()).isZero();
            assertThat(db.status().mirrorBytes()).isZero();
            assertThat(items.get(9L).orElseThrow().get("label")).isEqualTo("y".repeat(20_000));
        }
    }

    @Test
    void anImportDropsOnlyTheCopyOfItsOwnTable() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            Table other = db.create(TableSchema.of("other", Column.key("id", ColumnType.parse("Int64"))));
            other.insert(Map.of("id", 1));
            other.get(1L);
            awaitCopy(db, 11);

            db.importRows("other", new ByteArrayInputStream("id\n2\n".getBytes(StandardCharsets.UTF_8)),
                    ImportFormat.CSV, OnConflict.ERROR, Durability.DEFAULT);

            assertThat(db.status().mirrorRows()).as("items' copy stays").isEqualTo(10);
            assertThat(other.get(2L)).contains(Map.of("id", 2L));
            assertThat(items.get(3L)).contains(row(3, "item-3", 3));
        }
    }

    @Test
    void anImportDropsTheCopyAndTheNextReadByKeyBuildsANewOne() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);

            db.importRows("items", new ByteArrayInputStream("id,label,qty\n3,imported,30\n10,added,100\n"
                    .getBytes(StandardCharsets.UTF_8)), ImportFormat.CSV, OnConflict.UPDATE, Durability.DEFAULT);

            assertThat(items.get(3L)).contains(row(3, "imported", 30));
            assertThat(items.get(10L)).contains(row(10, "added", 100));
            awaitCopy(db, 11);
            assertCopyEqualsStore(db, items, 12);
        }
    }

    @Test
    void aDroppedTableIsNeverAnsweredFromItsOldCopy() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);

            db.drop("items", Durability.DEFAULT);
            assertThat(db.status().mirrorRows()).isZero();
            Table again = db.create(TableSchema.of("ITEMS", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("note", ColumnType.parse("Utf8"))));
            again.insert(Map.of("id", 1, "note", "second life"));

            assertThat(again.get(1L)).contains(Map.of("id", 1L, "note", "second life"));
            assertThat(again.get(2L)).isEmpty();
            awaitCopy(db, 1);
            assertThat(again.get(2L)).isEmpty();
            assertThat(items.get(1L)).as("the old handle names the new table").contains(Map.of("id", 1L,
                    "note", "second life"));
        }
    }

    @Test
    void closingWhileACopyIsBuiltLosesNothingAndTheNextOpenReadsAsBefore() {
        Database db = Database.open(dir);
        Table items = db.create(ITEMS);
        for (int start = 0; start < 300_000; start += 100_000) {
            items.insert(rows(start, start + 100_000), OnConflict.ERROR, Durability.DEFAULT);
        }
        items.get(1L); // starts the copy: a scan of 300k rows
        items.insert(row(300_000, "last", 1));
        db.close();

        try (Database again = Database.open(dir)) {
            Table reopened = again.table("items");
            assertThat(reopened.count()).isEqualTo(300_001);
            assertThat(reopened.get(300_000L)).contains(row(300_000, "last", 1));
            assertThat(reopened.get(299_999L)).contains(row(299_999, "item-299999", 99));
        }
    }

    /**
     * The copy holds inserted rows as coerced values, not read back from DuckDB: they must equal what DuckDB stored,
     * for every type, in multi-row and single-row inserts.
     */
    @Test
    void everyColumnTypeReadsTheSameFromTheCopyAsFromDuckDb() {
        String name = "all_types";
        List<Column> columns = new ArrayList<>(List.of(Column.key("k", ColumnType.parse("Utf8")),
                Column.of("i8", ColumnType.parse("Int8")), Column.of("i16", ColumnType.parse("Int16")),
                Column.of("i32", ColumnType.parse("Int32")), Column.of("i64", ColumnType.parse("Int64")),
                Column.of("u8", ColumnType.parse("UInt8")), Column.of("u16", ColumnType.parse("UInt16")),
                Column.of("u32", ColumnType.parse("UInt32")), Column.of("u64", ColumnType.parse("UInt64")),
                Column.of("f32", ColumnType.parse("Float32")), Column.of("f64", ColumnType.parse("Float64")),
                Column.of("b", ColumnType.parse("Boolean")), Column.of("s", ColumnType.parse("Utf8")),
                Column.of("d", ColumnType.parse("Date")), Column.of("t", ColumnType.parse("Datetime")),
                Column.of("m", ColumnType.parse("Decimal(18,3)")), Column.of("bin", ColumnType.parse("Binary"))));
        List<Map<String, Object>> values = new ArrayList<>(List.of(
                typed("min", -128, -32768, Integer.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0L, 0L, -3.4028235E38,
                        -Double.MAX_VALUE, false, "", "-0001-03-01", "0001-01-01T00:00:00", "-999999999999999.999",
                        "AA=="),
                typed("max", 127, 32767, Integer.MAX_VALUE, Long.MAX_VALUE, 255, 65535, 4294967295L,
                        new java.math.BigInteger("18446744073709551615"), 3.4028235E38, Double.MAX_VALUE, true,
                        "ünï 🚀 \"q\"", "9999-12-31", "2262-04-11T23:47:16.854775", "999999999999999.999", "/w=="),
                typed("odd", 0, 0, 0, 0L, 1, 1, 1L, 1L, -0.0, -0.0, true, "\t\n\u0000", "1582-10-10",
                        "2024-02-29T12:00:00.000001+02:00", "1.5", ""),
                typed("fractions", 1, 2, 3, 4L, 5, 6, 7L, 8L, 1.1, 0.1, false, "x", "2024-01-31",
                        "2024-01-31T00:00:00", "-0.001", "AAEC"),
                new HashMap<>(Map.of("k", "nulls"))));
        List<String> keys = new ArrayList<>();
        values.forEach(v -> keys.add((String) v.get("k")));
        values.forEach(v -> keys.add("late-" + v.get("k")));
        values.forEach(v -> keys.add("one-" + v.get("k")));

        Map<String, Optional<Map<String, Object>>> fromCopy = new HashMap<>();
        try (Database db = Database.open(dir)) {
            Table t = db.create(TableSchema.of(name, columns.toArray(Column[]::new)));
            t.insert(values, OnConflict.ERROR, Durability.DEFAULT);
            t.get("min");
            awaitCopy(db, values.size());
            // these reach the copy from the writer, as coerced values, not from a scan of DuckDB
            t.insert(values.stream().map(v -> withKey(v, "late-" + v.get("k"))).toList(), OnConflict.ERROR,
                    Durability.DEFAULT);
            values.forEach(v -> t.insert(withKey(v, "one-" + v.get("k"))));
            assertThat(db.status().mirrorRows()).isEqualTo(3L * values.size());
            keys.forEach(k -> fromCopy.put(k, t.get(k)));
        }
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(0))) {
            Table t = db.table(name);
            for (String k : keys) {
                assertThat(comparable(fromCopy.get(k))).as(name + " " + k).isEqualTo(comparable(t.get(k)));
            }
            assertThat(db.status().mirrorRows()).isZero();
        }
    }

    // ---- helpers ----

    private static Map<String, Object> typed(String k, Object... v) {
        String[] names = {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "b", "s", "d", "t",
                "m", "bin"};
        Map<String, Object> row = new HashMap<>();
        row.put("k", k);
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], v[i]);
        }
        return row;
    }

    private static Map<String, Object> withKey(Map<String, Object> row, String key) {
        Map<String, Object> copy = new HashMap<>(row);
        copy.put("k", key);
        return copy;
    }

    /** Binary values as lists, so that equal bytes compare equal. */
    private static Optional<Map<String, Object>> comparable(Optional<Map<String, Object>> row) {
        return row.map(r -> {
            Map<String, Object> copy = new TreeMap<>();
            r.forEach((name, value) -> copy.put(name, value instanceof byte[] b ? Arrays.toString(b) : value));
            return copy;
        });
    }

    private static Map<String, Object> nullLabel() {
        Map<String, Object> patch = new HashMap<>();
        patch.put("label", null);
        return patch;
    }

    private static long qty(Table items, int key) {
        return ((Number) items.get((long) key).orElseThrow().get("qty")).longValue();
    }

    private static long storeQty(Database db, int key) {
        return ((Number) sql(db, "SELECT qty FROM items WHERE id = ?", key).get(0)[0]).longValue();
    }

    /** Every key below {@code keys}: what a read by key answers equals what DuckDB holds, per SQL. */
    private static void assertCopyEqualsStore(Database db, Table table, long keys) {
        Map<Long, List<Object>> store = new HashMap<>();
        for (Object[] row : sql(db, "SELECT * FROM " + table.name())) {
            store.put((Long) row[0], Arrays.asList(row));
        }
        for (long key = 0; key < keys; key++) {
            Optional<Map<String, Object>> read = table.get(key);
            assertThat(read.map(r -> (List<Object>) new ArrayList<Object>(r.values())).orElse(null))
                    .as("key %d", key).isEqualTo(store.get(key));
        }
    }
}
