package io.mathdb.engine.faults;

import static io.mathdb.engine.faults.DataDirs.LOG_ONLY;
import static io.mathdb.engine.faults.DataDirs.ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.RecoveryReport;
import io.mathdb.engine.Table;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database whose log was damaged on disk, opened through {@link Database#open}: a damaged end of the newest segment
 * is a torn write and is cut at the last whole record, after which the database takes new writes that survive the
 * next start; damage followed by valid records, or a lost segment, stops start-up with the file and byte offset.
 * The WAL package tests the same cases on bare records; here the rows themselves are checked.
 */
class LogDamageTest {
    /**
     * The log: LSN 1 creates {@code rows}, LSN 2 creates {@code tail}, then one record per row: rows 1..ROW_COUNT
     * (LSN 2 + id), then keys 1..TAIL_COUNT of the key-only {@code tail} table (LSN 2 + ROW_COUNT + k). The tail
     * records are small, so cutting at every byte of the last three means some 150 starts, not more.
     */
    private static final int ROW_COUNT = 80;
    private static final int TAIL_COUNT = 10;
    private static final int LAST_LSN = 2 + ROW_COUNT + TAIL_COUNT;
    private static final TableSchema TAIL = TableSchema.of("tail", Column.key("k", ColumnType.parse("Int64")));

    @TempDir
    static Path root;
    private static Path pristine;
    private static List<Integer> newestOffsets;
    /** The LSN of the last record in the segments before the newest. */
    private static int lastLsnBeforeNewest;
    private static final AtomicInteger copies = new AtomicInteger();

    @BeforeAll
    static void writePristineDatabase() throws IOException {
        pristine = root.resolve("pristine");
        try (Database db = Database.open(pristine, LOG_ONLY)) {
            Table rows = db.create(ROWS);
            Table tail = db.create(TAIL);
            for (long id = 1; id <= ROW_COUNT; id++) {
                rows.insert(row(id));
            }
            for (long k = 1; k <= TAIL_COUNT; k++) {
                tail.insert(Map.of("k", k));
            }
        }
        assertThat(DataDirs.segments(pristine)).as("the log spans several segments").hasSizeGreaterThan(3);
        newestOffsets = DataDirs.recordOffsets(Files.readAllBytes(DataDirs.newestSegmentWithRecords(pristine)));
        lastLsnBeforeNewest = LAST_LSN - (newestOffsets.size() - 1);
        assertThat(lastLsnBeforeNewest).as("the newest segment holds the last three records")
                .isLessThanOrEqualTo(LAST_LSN - 3);
    }

    @Test
    void newestSegmentCutAtEveryByteOfItsLastThreeRecordsKeepsExactlyTheWholeRecords() {
        int from = newestOffsets.get(newestOffsets.size() - 4);
        int end = newestOffsets.get(newestOffsets.size() - 1);
        // Each cut is a directory of its own; two at a time halves the wall time on two cores.
        IntStream.range(from, end).parallel().forEach(cut -> {
            int whole = (int) newestOffsets.stream().skip(1).filter(recordEnd -> recordEnd <= cut).count();
            int lastWholeEnd = newestOffsets.get(whole);
            RecoveryReport report = assertSurvivors("cut at byte " + cut, bytes -> Arrays.copyOf(bytes, cut),
                    lastLsnBeforeNewest + whole);
            assertThat(report.bytesTruncated()).as("cut at byte %d", cut).isEqualTo(cut - lastWholeEnd);
        });
    }

    @Test
    void zeroedTailAfterTheLastRecordIsCutOff() throws IOException {
        RecoveryReport report = assertSurvivors("4 KiB of zeros appended",
                bytes -> Arrays.copyOf(bytes, bytes.length + 4096), LAST_LSN);
        assertThat(report.bytesTruncated()).isEqualTo(4096);
        assertThat(report.tornFile()).endsWith(DataDirs.newestSegmentWithRecords(pristine).getFileName().toString());
    }

    @Test
    void zeroedLastTwoRecordsAreCutOff() {
        int lastTwo = newestOffsets.get(newestOffsets.size() - 3);
        assertSurvivors("last two records zeroed", bytes -> {
            Arrays.fill(bytes, lastTwo, bytes.length, (byte) 0);
            return bytes;
        }, LAST_LSN - 2);
    }

    @Test
    void garbageTailAfterTheLastRecordIsCutOff() {
        byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        RecoveryReport report = assertSurvivors("garbage appended", bytes -> {
            byte[] out = Arrays.copyOf(bytes, bytes.length + garbage.length);
            System.arraycopy(garbage, 0, out, bytes.length, garbage.length);
            return out;
        }, LAST_LSN);
        assertThat(report.bytesTruncated()).isEqualTo(garbage.length);
    }

    @Test
    void garbageOverTheLastRecordIsCutOff() {
        int last = newestOffsets.get(newestOffsets.size() - 2);
        assertSurvivors("last record overwritten with garbage", bytes -> {
            byte[] garbage = new byte[bytes.length - last];
            new Random(11).nextBytes(garbage);
            System.arraycopy(garbage, 0, bytes, last, garbage.length);
            return bytes;
        }, LAST_LSN - 1);
    }

    @Test
    void flippedByteInARecordFollowedByValidRecordsRefusesToStartNamingFileAndOffset() throws IOException {
        int record = newestOffsets.get(newestOffsets.size() - 4);
        Path newest = DataDirs.newestSegmentWithRecords(pristine);
        assertRefuses("payload byte flipped", newest.getFileName().toString(), bytes -> {
            bytes[record + 20] ^= 0x40;
            return bytes;
        }, "byte offset " + record);
    }

    @Test
    void flippedByteInAnOlderSegmentRefusesToStartNamingFileAndOffset() throws IOException {
        Path older = DataDirs.segments(pristine).get(1);
        List<Integer> offsets = DataDirs.recordOffsets(Files.readAllBytes(older));
        int record = offsets.get(offsets.size() - 2); // its last record: nothing valid follows in this file
        assertRefuses("byte flipped in the last record of an older segment", older.getFileName().toString(), bytes -> {
            bytes[record + 18] ^= 0x01;
            return bytes;
        }, "byte offset " + record);
    }

    @Test
    void missingMiddleSegmentRefusesToStart() throws IOException {
        List<Path> segments = DataDirs.segments(pristine);
        Path dir = damagedCopy(segments.get(1).getFileName().toString(), null);
        assertThatThrownBy(() -> Database.open(dir, LOG_ONLY)).isInstanceOfSatisfying(MathDbException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_DATA);
            assertThat(e.getMessage()).contains(segments.get(2).getFileName().toString(), "byte offset 0",
                    "missing");
        });
    }

    /**
     * Opens a copy of the pristine database whose newest segment went through {@code damage}, and checks that
     * exactly the writes of LSNs {@code 1..lastLsn} are there; that a new write is taken; and that after another
     * restart both are there and no tail is cut. Returns the first recovery's report.
     */
    private RecoveryReport assertSurvivors(String what, UnaryOperator<byte[]> damage, int lastLsn) {
        Path dir = damagedCopy(newestSegmentName(), damage);
        RecoveryReport report;
        try (Database db = Database.open(dir, LOG_ONLY)) {
            report = db.recoveryState().report();
            assertThat(report.recordsReplayed()).as(what).isEqualTo(lastLsn);
            assertState(what, db, lastLsn);
            assertThat(db.table(TAIL.name()).insert(Map.of("k", 1_000)).lsn()).as(what + ": the new write")
                    .isEqualTo(lastLsn + 1);
        }
        try (Database db = Database.open(dir, LOG_ONLY)) {
            assertThat(db.recoveryState().report().bytesTruncated()).as(what + ", second start").isZero();
            assertThat(db.table(TAIL.name()).get(1_000)).as(what + ", the new write after restart").isPresent();
            assertThat(db.table(TAIL.name()).count()).as(what + ", second start")
                    .isEqualTo(lastLsn - 2 - ROW_COUNT + 1);
            assertThat(db.table(ROWS.name()).count()).as(what + ", second start").isEqualTo(ROW_COUNT);
        }
        return report;
    }

    private static String newestSegmentName() {
        try {
            return DataDirs.newestSegmentWithRecords(pristine).getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row written at LSNs up to {@code lastLsn} with its contents, and nothing written after it. */
    private static void assertState(String what, Database db, int lastLsn) {
        Table rows = db.table(ROWS.name());
        assertThat(rows.count()).as(what + ": rows").isEqualTo(ROW_COUNT);
        for (long id : new long[] {1, ROW_COUNT / 2, ROW_COUNT - 1, ROW_COUNT}) { // older segments: a sample
            assertThat(rows.get(id)).as(what + ": row %d", id).contains(row(id));
        }
        int tailKeys = lastLsn - 2 - ROW_COUNT;
        Table tail = db.table(TAIL.name());
        assertThat(tail.count()).as(what + ": tail keys").isEqualTo(tailKeys);
        for (long k = 1; k <= TAIL_COUNT; k++) {
            assertThat(tail.get(k)).as(what + ": tail key %d", k)
                    .isEqualTo(k <= tailKeys ? Optional.of(Map.of("k", k)) : Optional.empty());
        }
    }

    /** Row {@code id} as written: padded so that the rows fill several 4 KiB segments. */
    private static Map<String, Object> row(long id) {
        Map<String, Object> row = DataDirs.row(id);
        row.put("name", row.get("name") + "-" + "x".repeat(200));
        return row;
    }

    private void assertRefuses(String what, String segment, UnaryOperator<byte[]> damage, String where)
            throws IOException {
        Path dir = damagedCopy(segment, damage);
        byte[] before = Files.readAllBytes(DataDirs.walDir(dir).resolve(segment));
        assertThatThrownBy(() -> Database.open(dir, LOG_ONLY)).as(what)
                .isInstanceOfSatisfying(MathDbException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_DATA);
                    assertThat(e.getMessage()).contains(segment, where);
                });
        assertThat(Files.readAllBytes(DataDirs.walDir(dir).resolve(segment)))
                .as(what + ": a refused start repairs nothing").isEqualTo(before);
        assertThatThrownBy(() -> Database.open(dir, LOG_ONLY)).as(what + ", again").isInstanceOf(MathDbException.class);
    }

    /**
     * The one place the tests edit bytes: a copy of the pristine directory whose segment {@code segment} is replaced
     * by {@code damage} applied to its real bytes, or deleted when {@code damage} is null.
     */
    private static Path damagedCopy(String segment, UnaryOperator<byte[]> damage) {
        try {
            Path dir = root.resolve("copy-" + copies.incrementAndGet());
            DataDirs.copyTree(pristine, dir);
            Path file = DataDirs.walDir(dir).resolve(segment);
            if (damage == null) {
                Files.delete(file);
            } else {
                Files.write(file, damage.apply(Files.readAllBytes(file)));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
