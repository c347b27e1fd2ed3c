package io.mathdb.engine.faults;

import static io.mathdb.engine.faults.DataDirs.ROWS;
import static io.mathdb.engine.faults.DataDirs.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.Database;
import io.mathdb.engine.Table;
import io.mathdb.engine.WriteResult;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots taken again and again while writers insert and update: recovery from the newest one plus the log after
 * it applies every acknowledged write exactly once. A snapshot whose LSN were behind its contents would replay an
 * insert twice (and refuse to start on the duplicate key); one ahead of its contents would lose writes.
 */
class SnapshotUnderLoadTest {
    private static final int WRITERS = 4;
    private static final int ITERATIONS = 200;
    private static final TableSchema COUNTERS = TableSchema.of("counters", Column.key("id", ColumnType.parse("Int64")),
            Column.of("n", ColumnType.parse("Int64")));

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedWriteIsAppliedExactlyOnceAfterRecoveryFromASnapshotTakenUnderLoad() throws Exception {
        Path dir = tmp.resolve("data");
        Path crashImage = tmp.resolve("crash-image");
        long[] inserts = new long[WRITERS];
        long[] increments = new long[WRITERS];
        int snapshots = 0;
        try (Database db = Database.open(dir, DataDirs.LOG_ONLY)) {
            Table rows = db.create(ROWS);
            Table counters = db.create(COUNTERS);
            for (long w = 0; w < WRITERS; w++) {
                counters.insert(Map.of("id", w, "n", 0));
            }
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < ITERATIONS; i++) {
                        WriteResult inserted = rows.insert(row(key(writer, i)));
                        // The engine's LSN is never behind a write it acknowledged.
                        assertThat(db.lastLsn()).isGreaterThanOrEqualTo(inserted.lsn());
                        inserts[writer]++;
                        long n = increments[writer] + 1;
                        if (i % 2 == 0) {
                            counters.patch((long) writer, Map.of("n", n));
                        } else {
                            counters.update((long) writer, Map.of("id", writer, "n", n));
                        }
                        increments[writer] = n;
                    }
                    return null;
                }));
            }
            try {
                while (snapshots < 3 || writers.stream().anyMatch(f -> !f.isDone())) {
                    db.snapshot();
                    snapshots++;
                }
                for (Future<?> f : writers) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            // What a kill -9 now would leave: the files as they are, nothing closed.
            DataDirs.copyTree(dir, crashImage);
        }
        assertThat(snapshots).isGreaterThanOrEqualTo(3);
        assertExactlyOnce("after a clean close", dir, inserts, increments);
        assertExactlyOnce("from a crash image", crashImage, inserts, increments);
    }

    private static void assertExactlyOnce(String what, Path dir, long[] inserts, long[] increments) {
        try (Database db = Database.open(dir, DataDirs.LOG_ONLY)) {
            assertThat(db.recoveryState().report().snapshotLsn()).as(what + ": recovered from a snapshot").isPositive();
            Table rows = db.table(ROWS.name());
            long total = 0;
            for (int w = 0; w < WRITERS; w++) {
                total += inserts[w];
                for (int i = 0; i < inserts[w]; i++) {
                    assertThat(rows.get(key(w, i))).as("%s: writer %d row %d", what, w, i).contains(row(key(w, i)));
                }
                assertThat(db.table(COUNTERS.name()).get((long) w).orElseThrow()).as("%s: counter %d", what, w)
                        .containsEntry("n", increments[w]);
            }
            assertThat(rows.count()).as(what + ": rows").isEqualTo(total);
        }
    }

    private static long key(int writer, int i) {
        return writer * 1_000_000L + i;
    }
}
