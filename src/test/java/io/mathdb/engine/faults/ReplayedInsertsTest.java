package io.mathdb.engine.faults;

import static io.mathdb.engine.faults.DataDirs.LOG_ONLY;
import static io.mathdb.engine.faults.DataDirs.ROWS;
import static io.mathdb.engine.faults.DataDirs.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.Table;
import io.mathdb.engine.wal.WalFixtures;
import io.mathdb.engine.wal.WalFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery stages long runs of logged inserts and moves them into their tables in bulk: what it rebuilds is exactly
 * what was written, whatever other changes and table re-creations the log holds between the runs, and a record of
 * such a run that does not apply stops start-up with its own LSN.
 */
class ReplayedInsertsTest {
    private static final int INSERTS = 1200;

    @TempDir
    Path dir;

    @Test
    void insertOnlyLogReplaysExactlyTheRowsWritten() {
        writeInserts(dir);
        try (Database db = Database.open(dir, LOG_ONLY)) {
            assertThat(db.recoveryState().report().recordsReplayed()).isEqualTo(1 + INSERTS);
            assertThat(state(db, INSERTS)).isEqualTo(expectedInserts());
        }
    }

    @Test
    void logMixingInsertsWithChangesToTheSameKeysAndARecreatedTableReplaysToTheSameState() {
        Map<Long, Map<String, Object>> written;
        try (Database db = Database.open(dir, LOG_ONLY)) {
            Table t = db.create(ROWS);
            for (long id = 1; id <= 700; id++) {
                t.insert(row(id));
            }
            t.upsert(Map.of("id", 5L, "name", "upserted", "n", -5L));
            t.upsert(Map.of("id", 701L, "name", "new by upsert", "n", 0L));
            t.update(6L, Map.of("id", 6L, "name", "replaced", "n", -6L));
            t.patch(7L, Map.of("n", -7L));
            t.delete(8L);
            for (long id = 702; id <= 1000; id++) {
                t.insert(row(id));
            }
            t.insert(row(8)); // deleted above, inserted again within a run of inserts
            db.drop(ROWS.name(), Durability.DEFAULT);
            t = db.create(ROWS);
            for (long id = 400; id <= 800; id++) {
                t.insert(row(id));
            }
            t.patch(500L, Map.of("name", "patched after re-create"));
            t.delete(600L);
            written = state(db, 1000);
        }
        assertThat(written).hasSize(400).doesNotContainKey(5L).containsKey(800L);
        try (Database db = Database.open(dir, LOG_ONLY)) {
            assertThat(state(db, 1000)).isEqualTo(written);
        }
    }

    @Test
    void keyRepeatedInsideALoggedRunOfInsertsStopsRecoveryNamingItsLsn() throws IOException {
        writeInserts(dir);
        // LSN 1 + id inserts row id: make LSN 901 insert key 300 again, with its checksum made good.
        long lsn = 901;
        Path segment = segmentHolding(lsn);
        byte[] bytes = Files.readAllBytes(segment);
        int offset = DataDirs.recordOffsets(bytes).get((int) (lsn - WalFormat.parseSegmentFileName(
                segment.getFileName().toString())));
        replaceLong(bytes, offset + WalFormat.RECORD_HEADER_BYTES, offset + WalFormat.RECORD_HEADER_BYTES
                + ByteBuffer.wrap(bytes).getInt(offset), 900, 300);
        WalFixtures.refreshRecordCrc(bytes, offset);
        Files.write(segment, bytes);

        assertThatThrownBy(() -> Database.open(dir, LOG_ONLY)).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_DATA)).hasMessageContaining("LSN 901");
    }

    private static void writeInserts(Path dir) {
        try (Database db = Database.open(dir, LOG_ONLY)) {
            Table t = db.create(ROWS);
            for (long id = 1; id <= INSERTS; id++) {
                t.insert(row(id));
            }
        }
    }

    private static Map<Long, Map<String, Object>> expectedInserts() {
        Map<Long, Map<String, Object>> rows = new TreeMap<>();
        for (long id = 1; id <= INSERTS; id++) {
            rows.put(id, row(id));
        }
        return rows;
    }

    /** The rows with keys 1..maxId, checked to be every row the table holds. */
    private static Map<Long, Map<String, Object>> state(Database db, long maxId) {
        Table t = db.table(ROWS.name());
        Map<Long, Map<String, Object>> rows = new TreeMap<>();
        for (long id = 1; id <= maxId + 1; id++) {
            t.get(id).ifPresent(row -> rows.put((Long) row.get("id"), row));
        }
        assertThat((long) rows.size()).isEqualTo(t.count());
        return rows;
    }

    private Path segmentHolding(long lsn) throws IOException {
        Path holding = null;
        for (Path segment : DataDirs.segments(dir)) {
            if (WalFormat.parseSegmentFileName(segment.getFileName().toString()) <= lsn) {
                holding = segment;
            }
        }
        return holding;
    }

    /** Replaces every logged Int64 value {@code from} (value tag 1, then 8 bytes) in {@code [start, end)}. */
    private static void replaceLong(byte[] bytes, int start, int end, long from, long to) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int replaced = 0;
        for (int i = start; i + 9 <= end; i++) {
            if (bytes[i] == 1 && buf.getLong(i + 1) == from) {
                buf.putLong(i + 1, to);
                replaced++;
            }
        }
        assertThat(replaced).as("the key and the key column of the row").isEqualTo(2);
    }
}
