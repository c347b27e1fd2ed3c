package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reopening a directory gives back exactly what was acknowledged, from the log, a snapshot, or both. */
class PersistenceTest {
    static final TableSchema USERS = TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")), Column.of("price", ColumnType.parse("Decimal(10,2)")));

    @TempDir
    Path dir;

    @Test
    void everyKindOfWriteSurvivesReopen() {
        try (Database db = Database.open(dir)) {
            Table t = db.create(USERS);
            t.insert(List.of(Map.of("id", 1, "name", "a"), Map.of("id", 2, "name", "b")), OnConflict.ERROR,
                    Durability.DEFAULT);
            t.upsert(Map.of("id", 3, "name", "c", "price", "9.99"));
            t.update(1, Map.of("name", "a2"));
            t.patch(2, Map.of("price", new BigDecimal("1.5")));
            t.delete(3);
            db.create(TableSchema.of("gone", Column.key("k", ColumnType.parse("Utf8"))));
            db.drop("gone", Durability.DEFAULT);
        }
        try (Database db = Database.open(dir)) {
            Table t = db.table("users");
            assertThat(t.count()).isEqualTo(2);
            assertThat(t.get(1L).orElseThrow()).containsEntry("name", "a2");
            assertThat(t.get(2L).orElseThrow()).containsEntry("price", new BigDecimal("1.50"));
            assertThat(db.find("gone")).isEmpty();
            assertThat(db.recoveryState().report().recordsReplayed()).isEqualTo(8);
        }
    }

    @Test
    void snapshotPlusLogRecoversEveryWriteExactlyOnce() {
        try (Database db = Database.open(dir)) {
            Table t = db.create(USERS);
            for (int i = 0; i < 100; i++) {
                t.insert(Map.of("id", i, "name", "n" + i));
            }
            SnapshotStatus snap = db.snapshot();
            assertThat(snap.lsn()).isEqualTo(101);
            for (int i = 100; i < 150; i++) {
                t.insert(Map.of("id", i, "name", "n" + i));
            }
            t.delete(0);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("users").count()).isEqualTo(149);
            RecoveryReport report = db.recoveryState().report();
            assertThat(report.snapshotLsn()).isEqualTo(101);
            assertThat(report.recordsReplayed()).isEqualTo(51);
            assertThat(db.lastLsn()).isEqualTo(152);
            assertThat(db.table("users").insert(Map.of("id", 0)).lsn()).isEqualTo(153);
        }
    }

    @Test
    void snapshotsLetOldSegmentsGo() throws Exception {
        DatabaseOptions small = DatabaseOptions.DEFAULTS.withSegmentBytes(4096);
        try (Database db = Database.open(dir, small)) {
            Table t = db.create(USERS);
            for (int i = 0; i < 500; i++) {
                t.insert(Map.of("id", i, "name", "a fairly long name to fill segments " + i));
            }
            int before = db.status().segmentCount();
            db.snapshot();
            t.insert(Map.of("id", 1000));
            db.snapshot();
            assertThat(db.status().segmentCount()).isLessThan(before);
        }
        try (Database db = Database.open(dir, small)) {
            assertThat(db.table("users").count()).isEqualTo(501);
        }
    }

    @Test
    void zeroFlushIntervalWithExplicitFlushMakesWritesDurable() {
        DatabaseOptions manual = DatabaseOptions.DEFAULTS.withFlushInterval(Duration.ZERO);
        try (Database db = Database.open(dir, manual)) {
            Table t = db.create(USERS);
            long lsn = t.insert(Map.of("id", 1)).lsn();
            assertThat(db.status().durableLsn()).isLessThan(lsn);
            assertThat(db.flush()).isGreaterThanOrEqualTo(lsn);
            assertThat(db.status().durableLsn()).isGreaterThanOrEqualTo(lsn);
        }
    }

    @Test
    void syncWriteIsDurableWhenAcknowledged() {
        DatabaseOptions manual = DatabaseOptions.DEFAULTS.withFlushInterval(Duration.ZERO);
        try (Database db = Database.open(dir, manual)) {
            Table t = db.create(USERS);
            long lsn = t.insert(List.of(Map.of("id", 1)), OnConflict.ERROR, Durability.SYNC).lsn();
            assertThat(db.status().durableLsn()).isGreaterThanOrEqualTo(lsn);
        }
    }

    @Test
    void secondOpenOnTheSameDirectoryFailsFast() {
        try (Database db = Database.open(dir)) {
            assertThatThrownBy(() -> Database.open(dir)).isInstanceOfSatisfying(MathDbException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.DIRECTORY_LOCKED));
        }
    }

    @Test
    void snapshotOnCloseLeavesNothingToReplay() {
        DatabaseOptions onClose = DatabaseOptions.DEFAULTS.withSnapshots(Duration.ofMinutes(10), 256L << 20, 2, true);
        try (Database db = Database.open(dir, onClose)) {
            db.create(USERS).insert(Map.of("id", 1));
        }
        try (Database db = Database.open(dir, onClose)) {
            assertThat(db.recoveryState().report().recordsReplayed()).isZero();
            assertThat(db.table("users").count()).isEqualTo(1);
        }
    }

    @Test
    void aCloseFromAnInterruptedThreadStillFinishesTheQueuedWritesFirst() {
        List<CompletableFuture<WriteResult>> queued = new ArrayList<>();
        try (Database db = Database.open(dir)) {
            Table t = db.create(USERS);
            for (int i = 0; i < 2000; i++) {
                queued.add(t.insertAsync(List.of(Map.of("id", i, "name", "n" + i)), OnConflict.ERROR,
                        Durability.DEFAULT));
            }
            Thread.currentThread().interrupt();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }
        assertThat(queued).allMatch(CompletableFuture::isDone);
        long acknowledged = queued.stream().filter(f -> !f.isCompletedExceptionally()).count();
        try (Database db = Database.open(dir)) {
            assertThat(db.table("users").count()).isEqualTo(acknowledged).isEqualTo(2000);
        }
    }

    @Test
    void unusableDataDirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Database.open(file.resolve("data"))).isInstanceOf(MathDbException.class)
                .hasMessageContaining("plain-file");
    }

    @Test
    void corruptNewestSnapshotFallsBackToTheOlderOne() throws Exception {
        try (Database db = Database.open(dir)) {
            Table t = db.create(USERS);
            t.insert(Map.of("id", 1));
            db.snapshot();
            t.insert(Map.of("id", 2));
            db.snapshot();
            t.insert(Map.of("id", 3));
        }
        Path newest;
        try (Stream<Path> snaps = Files.list(dir.resolve("snapshots"))) {
            newest = snaps.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Path parquet = newest.resolve("t000.parquet");
        byte[] bytes = Files.readAllBytes(parquet);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(parquet, bytes);
        try (Database db = Database.open(dir)) {
            assertThat(db.table("users").count()).isEqualTo(3);
            assertThat(db.recoveryState().report().skippedSnapshots()).singleElement().asString()
                    .contains("t000.parquet");
        }
    }

    @Test
    void patchWithNullsSurvivesReplay() {
        try (Database db = Database.open(dir)) {
            Table t = db.create(USERS);
            t.insert(Map.of("id", 1, "name", "x", "price", 2));
            Map<String, Object> patch = new HashMap<>();
            patch.put("name", null);
            t.patch(1, patch);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("users").get(1L).orElseThrow()).containsEntry("name", null)
                    .containsEntry("price", new BigDecimal("2.00"));
        }
    }
}
