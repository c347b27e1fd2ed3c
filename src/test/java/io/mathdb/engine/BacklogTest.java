package io.mathdb.engine;

import static io.mathdb.engine.Items.ITEMS;
import static io.mathdb.engine.Items.copiedItems;
import static io.mathdb.engine.Items.row;
import static io.mathdb.engine.Items.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to a table copied in the heap are acknowledged once logged and on the copy; DuckDB takes them later, in
 * bulk (the writer's backlog). Nothing that reads or changes DuckDB may tell: reads by SQL, counts, snapshots,
 * imports, drops and groups that touch other tables all see every write acknowledged before them, in order.
 */
class BacklogTest {
    private static final TableSchema OTHER = TableSchema.of("other", Column.key("id", ColumnType.parse("Int64")),
            Column.of("note", ColumnType.parse("Utf8")));

    @TempDir
    Path dir;

    @Test
    void everyReadBySqlShowsTheWritesAcknowledgedBeforeItThoughDuckDbTakesThemLater() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 100);
            Map<Long, Long> expected = new TreeMap<>();
            for (long id = 0; id < 100; id++) {
                expected.put(id, id % 100);
            }
            long waitedAtMost = 0;
            for (int step = 0; step < 300; step++) {
                long key = (step * 37L) % 120;
                switch (step % 4) {
                    case 0 -> {
                        items.upsert(row(key, "up-" + step, step));
                        expected.put(key, (long) step);
                    }
                    case 1 -> {
                        if (expected.containsKey(key)) {
                            items.patch(key, Map.of("qty", -step));
                            expected.put(key, (long) -step);
                        }
                    }
                    case 2 -> {
                        if (expected.remove(key) != null) {
                            items.delete(key);
                        }
                    }
                    default -> {
                        if (!expected.containsKey(key)) {
                            items.insert(row(key, "new-" + step, step));
                            expected.put(key, (long) step);
                        }
                    }
                }
                waitedAtMost = Math.max(waitedAtMost, db.status().backlogRows());
                if (step % 3 == 0) {
                    assertThat(items.count()).as("count after step %d", step).isEqualTo(expected.size());
                } else {
                    assertThat(qtyBySql(db)).as("rows by SQL after step %d", step).isEqualTo(expected);
                }
            }
            assertThat(waitedAtMost).as("writes waited for DuckDB at some point").isPositive();
            assertThat(db.status().backlogRows()).as("a read by SQL leaves nothing waiting").isZero();
        }
    }

    @Test
    void aWriteThatChangesNoRowDoesNotHoldUpReadsBySql() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            WriteResult ignored = items.insert(List.of(row(1, "again", 1)), OnConflict.IGNORE, Durability.DEFAULT);
            assertThat(ignored.rows()).isZero();

            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThat(items.count()).isEqualTo(10));
            items.upsert(row(1, "after", 2));
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThat(sql(db,
                    "SELECT label FROM items WHERE id = 1")).containsExactly(new Object[] {"after"}));
        }
    }

    @Test
    void aSnapshotHoldsTheWritesThatWereWaitingForDuckDb() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            items.upsert(row(3, "replaced", 33));
            items.patch(4L, Map.of("label", "patched"));
            items.delete(5L);
            items.insert(row(42, "added", 42));
            SnapshotStatus snapshot = db.snapshot();

            assertThat(snapshot.lsn()).isEqualTo(db.lastLsn());
            assertThat(snapshotRows(snapshot.lsn())).containsExactly(
                    "0 item-0 0", "1 item-1 1", "2 item-2 2", "3 replaced 33", "4 patched 4", "6 item-6 6",
                    "7 item-7 7", "8 item-8 8", "9 item-9 9", "42 added 42");
        }
    }

    @Test
    void snapshotsTakenWhileWritesStreamInHoldExactlyTheWritesUpToTheirLsn() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            Map<Long, Long> lsnOfId = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread inserter = new Thread(() -> {
                try {
                    for (long id = 10; !stop.get(); id++) {
                        lsnOfId.put(id, items.insert(row(id, "streamed", id)).lsn());
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            inserter.start();
            Map<Long, List<String>> rowsAtLsn = new TreeMap<>(); // read at once: retention deletes older ones
            try {
                while (rowsAtLsn.size() < 5) {
                    long lsn = db.snapshot().lsn();
                    if (!rowsAtLsn.containsKey(lsn)) {
                        rowsAtLsn.put(lsn, snapshotRows(lsn));
                    }
                }
            } finally {
                stop.set(true);
                inserter.join();
            }
            assertThat(failure.get()).isNull();
            rowsAtLsn.forEach((lsn, rows) -> {
                long expected = 10 + lsnOfId.values().stream().filter(at -> at <= lsn).count();
                assertThat(rows).as("rows of the snapshot at LSN %d", lsn).hasSize((int) expected);
                assertThat(rows.get(rows.size() - 1)).startsWith((expected - 1) + " ");
            });
        }
    }

    @Test
    void aReadPinnedWhileWritesWaitForDuckDbLetsTheWriterAndOtherReadsGoOn() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            boolean pinnedOnTheBacklog = false;
            for (long id = 10; id < 60 && !pinnedOnTheBacklog; id++) {
                long acknowledged = items.insert(row(id, "waiting", id)).lsn();
                CountDownLatch release = new CountDownLatch(1);
                AtomicReference<String> pinnedBy = new AtomicReference<>();
                CompletableFuture<Long> pinned = db.writer().pinned(lsn -> {
                    pinnedBy.set(Thread.currentThread().getName());
                    if (!pinnedBy.get().equals("mathdb-writer")) {
                        awaitUninterruptibly(release);
                    }
                    return lsn;
                });
                try {
                    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                        while (pinnedBy.get() == null) {
                            Thread.onSpinWait();
                        }
                    });
                    // Whichever thread runs the task, it sees exactly the writes acknowledged before it.
                    if (pinnedBy.get().equals("mathdb-writer")) {
                        assertThat(pinned.get()).isEqualTo(acknowledged); // DuckDB had taken the row already
                        continue;
                    }
                    pinnedOnTheBacklog = true;
                    // A second read, while the first holds the backlog's thread, is not left waiting for a batch.
                    long second = assertTimeoutPreemptively(Duration.ofSeconds(30),
                            () -> db.writer().pinned(lsn -> lsn).get());
                    assertThat(second).isEqualTo(acknowledged);
                    long next = id + 1;
                    long later = assertTimeoutPreemptively(Duration.ofSeconds(30),
                            () -> items.insert(row(next, "while pinned", next)).lsn());
                    assertThat(later).isGreaterThan(acknowledged);
                } finally {
                    release.countDown();
                }
                assertThat(pinned.get()).isEqualTo(acknowledged);
            }
            assertThat(pinnedOnTheBacklog).as("a pin met rows waiting for DuckDB at least once").isTrue();
        }
    }

    @Test
    void aReadPinnedOnTheBacklogThatFailsFailsAloneAndWritesGoOn() throws Exception {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            boolean failedOnTheBacklog = false;
            long id = 10;
            for (; id < 60 && !failedOnTheBacklog; id++) {
                items.insert(row(id, "waiting", id));
                CompletableFuture<Long> pinned = db.writer().pinned(lsn -> {
                    if (Thread.currentThread().getName().equals("mathdb-writer")) {
                        return lsn;
                    }
                    throw new AssertionError("a read failing on the backlog's thread");
                });
                try {
                    pinned.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(AssertionError.class);
                    failedOnTheBacklog = true;
                }
            }
            assertThat(failedOnTheBacklog).as("a pin met rows waiting for DuckDB at least once").isTrue();
            items.insert(row(id, "after", id));
            assertThat(sql(db, "SELECT count(*) FROM items").get(0)[0]).isEqualTo(id + 1);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aGroupThatAlsoChangesAnUncopiedTableFindsTheWaitingWritesApplied() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            db.create(OTHER);
            items.patch(1L, Map.of("qty", 100));
            items.insert(row(11, "eleven", 11));
            // not deferrable: "other" has no copy; the replacement of 11 needs its insert in DuckDB first
            db.batch(List.of(RowOp.update("items", 11L, row(11, "replaced", 12)), RowOp.insert("other",
                    Map.of("id", 1L, "note", "x")), RowOp.patch("items", 1L, Map.of("label", "both"))),
                    Durability.DEFAULT);
            items.delete(11L);

            assertThat(sql(db, "SELECT id, label, qty FROM items WHERE id IN (1, 11) ORDER BY id"))
                    .containsExactly(new Object[] {1L, "both", 100L});
            assertThat(items.get(1L)).contains(row(1, "both", 100));
            assertThat(db.table("other").count()).isEqualTo(1);
        }
    }

    @Test
    void importsAndDropsTakeTheWaitingWritesFirst() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            items.patch(2L, Map.of("qty", 200));
            items.delete(3L);
            db.importRows("items", new ByteArrayInputStream("id,label,qty\n3,imported,30\n20,added,100\n"
                    .getBytes(StandardCharsets.UTF_8)), ImportFormat.CSV, OnConflict.ERROR, Durability.DEFAULT);
            assertThat(sql(db, "SELECT id, qty FROM items WHERE id IN (2, 3, 20) ORDER BY id"))
                    .containsExactly(new Object[] {2L, 200L}, new Object[] {3L, 30L}, new Object[] {20L, 100L});
            assertThat(items.get(3L)).contains(row(3, "imported", 30));
        }
    }

    @Test
    void aTableDroppedWithWritesWaitingComesBackEmpty() {
        try (Database db = Database.open(dir)) {
            Table items = copiedItems(db, 10);
            items.upsert(row(50, "waiting", 50));
            items.delete(0L);
            db.drop("items", Durability.DEFAULT);
            Table created = db.create(ITEMS);

            assertThat(created.count()).isZero();
            assertThat(created.get(50L)).isEmpty();
            created.insert(row(0, "fresh", 1));
            assertThat(sql(db, "SELECT id, label FROM items")).containsExactly(new Object[] {0L, "fresh"});
        }
    }

    @Test
    void writesWaitingForDuckDbAtCloseReachTheSnapshotTakenOnCloseAndTheNextOpen() throws Exception {
        DatabaseOptions snapshotOnClose = DatabaseOptions.DEFAULTS.withSnapshots(Duration.ZERO, 0, 2, true);
        long lsn;
        try (Database db = Database.open(dir, snapshotOnClose)) {
            Table items = copiedItems(db, 3);
            items.upsert(row(1, "kept", 70));
            items.delete(2L);
            lsn = db.lastLsn();
        }
        assertThat(snapshotRows(lsn)).containsExactly("0 item-0 0", "1 kept 70");
        try (Database db = Database.open(dir, snapshotOnClose)) {
            assertThat(db.table("items").get(1L)).contains(row(1, "kept", 70));
            assertThat(db.table("items").count()).isEqualTo(2);
        }
    }

    /** id -> qty of every row, as SQL reads them. */
    private static Map<Long, Long> qtyBySql(Database db) {
        Map<Long, Long> rows = new TreeMap<>();
        for (Object[] row : sql(db, "SELECT id, qty FROM items")) {
            rows.put((Long) row[0], ((Number) row[1]).longValue());
        }
        return rows;
    }

    /** The rows of the snapshot taken at {@code lsn}, each as "id label qty", read from its Parquet file. */
    private List<String> snapshotRows(long lsn) throws IOException, SQLException {
        Path snap = dir.resolve("snapshots").resolve(String.format("snap-%016x", lsn));
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, label, qty FROM read_parquet('" + snap.resolve("*.parquet")
                     + "') ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        }
        return rows;
    }
}
