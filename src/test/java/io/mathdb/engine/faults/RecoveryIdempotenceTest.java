package io.mathdb.engine.faults;

import static io.mathdb.engine.faults.DataDirs.ROWS;
import static io.mathdb.engine.faults.DataDirs.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.Database;
import io.mathdb.engine.RecoveryReport;
import io.mathdb.engine.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery is a function of the bytes on disk: two byte-identical copies of a crashed directory recover to the same
 * rows and the same files, and a crash after a recovery that cut a torn tail (before or after new writes) recovers
 * to the same state again, with nothing left to cut.
 */
class RecoveryIdempotenceTest {
    @TempDir
    Path tmp;

    @Test
    void identicalCrashedDirectoriesRecoverIdenticallyAndRecoveringAgainChangesNothing() throws Exception {
        Path live = tmp.resolve("live");
        Path crashed = tmp.resolve("crashed");
        try (Database db = Database.open(live, DataDirs.LOG_ONLY)) {
            Table t = db.create(ROWS);
            for (long id = 1; id <= 100; id++) {
                t.insert(row(id));
            }
            DataDirs.copyTree(live, crashed); // a kill -9 here: nothing closed
        }
        // ... in the middle of writing the next record: the first 30 of its bytes reached the file.
        Path newest = DataDirs.newestSegmentWithRecords(crashed);
        byte[] bytes = Files.readAllBytes(newest);
        List<Integer> offsets = DataDirs.recordOffsets(bytes);
        byte[] lastRecord = Arrays.copyOfRange(bytes, offsets.get(offsets.size() - 2), bytes.length);
        Files.write(newest, Arrays.copyOf(lastRecord, 30), StandardOpenOption.APPEND);

        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        DataDirs.copyTree(crashed, a);
        DataDirs.copyTree(crashed, b);
        Path afterRecovery = tmp.resolve("crash-after-recovery");
        Map<Long, Map<String, Object>> recoveredA;
        try (Database db = Database.open(a, DataDirs.LOG_ONLY)) {
            RecoveryReport report = db.recoveryState().report();
            assertThat(report.bytesTruncated()).isEqualTo(30);
            assertThat(report.recordsReplayed()).isEqualTo(101);
            recoveredA = state(db);
            DataDirs.copyTree(a, afterRecovery); // a crash right after recovery, before any write
        }
        try (Database db = Database.open(b, DataDirs.LOG_ONLY)) {
            assertThat(db.recoveryState().report().bytesTruncated()).isEqualTo(30);
            assertThat(state(db)).isEqualTo(recoveredA);
        }
        Map<String, byte[]> filesA = DataDirs.contents(a);
        Map<String, byte[]> filesB = DataDirs.contents(b);
        assertThat(filesB).as("the same files, byte for byte").containsOnlyKeys(filesA.keySet());
        filesA.forEach((name, content) -> assertThat(filesB.get(name)).as(name).isEqualTo(content));

        for (Path again : List.of(a, afterRecovery)) {
            try (Database db = Database.open(again, DataDirs.LOG_ONLY)) {
                assertThat(db.recoveryState().report().bytesTruncated()).as(again + ": nothing left to cut").isZero();
                assertThat(state(db)).as(again.toString()).isEqualTo(recoveredA);
                db.table(ROWS.name()).insert(row(101));
            }
            try (Database db = Database.open(again, DataDirs.LOG_ONLY)) {
                assertThat(db.table(ROWS.name()).count()).isEqualTo(101);
                assertThat(db.table(ROWS.name()).get(101L)).contains(row(101));
            }
        }
    }

    private static Map<Long, Map<String, Object>> state(Database db) {
        Table t = db.table(ROWS.name());
        Map<Long, Map<String, Object>> rows = new java.util.TreeMap<>();
        for (long id = 1; id <= 101; id++) {
            t.get(id).ifPresent(row -> rows.put((Long) row.get("id"), row));
        }
        assertThat((long) rows.size()).isEqualTo(t.count());
        return rows;
    }
}
