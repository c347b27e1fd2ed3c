package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers and readers at once: groups keep each request's own outcome, and reads see whole rows. */
class ConcurrentWritesTest {
    @TempDir
    Path dir;

    @Test
    void concurrentIncrementsLoseNoUpdateAndReadsAreNeverTorn() throws Exception {
        try (Database db = Database.open(dir)) {
            Table t = db.create(TableSchema.of("counters", Column.key("id", ColumnType.parse("Int32")),
                    Column.required("a", ColumnType.parse("Int64")), Column.required("b", ColumnType.parse("Int64"))));
            int writers = 8;
            int rounds = 200;
            for (int w = 0; w < writers; w++) {
                t.insert(Map.of("id", w, "a", 0, "b", 0));
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers + 4);
            AtomicBoolean done = new AtomicBoolean();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                futures.add(pool.submit(() -> {
                    for (long i = 1; i <= rounds; i++) {
                        // Each writer owns its row, so read-modify-write loses nothing only if every write lands.
                        long a = (Long) t.get(id).orElseThrow().get("a");
                        t.update(id, Map.of("a", a + 1, "b", -(a + 1)));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (!done.get()) {
                        for (int id = 0; id < writers; id++) {
                            Map<String, Object> row = t.get(id).orElseThrow();
                            // a and b are written together; a torn read would show them out of step
                            assertThat((Long) row.get("a")).isEqualTo(-(Long) row.get("b"));
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            done.set(true);
            for (Future<Integer> r : readers) {
                assertThat(r.get(1, TimeUnit.MINUTES)).isPositive();
            }
            pool.shutdown();
            for (int w = 0; w < writers; w++) {
                assertThat(t.get(w).orElseThrow()).containsEntry("a", (long) rounds);
            }
        }
    }

    @Test
    void oneClientsDuplicateFailsOnlyThatClient() throws Exception {
        try (Database db = Database.open(dir)) {
            Table t = db.create(TableSchema.of("t", Column.key("id", ColumnType.parse("Int64"))));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long id = i % 1000; // every key is inserted twice: exactly one of the two must win
                results.add(pool.submit(() -> {
                    try {
                        t.insert(Map.of("id", id));
                        return true;
                    } catch (MathDbException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
                        return false;
                    }
                }));
            }
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(1, TimeUnit.MINUTES) ? 1 : 0;
            }
            pool.shutdown();
            assertThat(wins).isEqualTo(1000);
            assertThat(t.count()).isEqualTo(1000);
        }
    }
}
