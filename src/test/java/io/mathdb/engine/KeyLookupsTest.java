package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads by key are batched into shared {@code IN} queries padded to a few sizes: many readers at once, asking for
 * rows that exist and rows that do not, in two tables, each get exactly their own answer. The tables are not copied
 * into the heap ({@code mirrorBytes} 0), so every read takes this path.
 */
class KeyLookupsTest {
    private static final int ROWS = 500;

    @TempDir
    Path dir;

    @Test
    void concurrentReadsOfPresentAndMissingKeysEachGetTheirOwnRow() throws Exception {
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withMirrorBytes(0))) {
            List<Table> tables = new ArrayList<>();
            for (String name : List.of("left", "right")) {
                Table t = db.create(TableSchema.of(name, Column.key("id", ColumnType.parse("Int64")),
                        Column.required("label", ColumnType.parse("Utf8"))));
                List<Map<String, Object>> rows = new ArrayList<>();
                for (long id = 0; id < ROWS; id += 2) { // even keys only: odd ones are misses
                    rows.add(Map.of("id", id, "label", name + "-" + id));
                }
                t.insert(rows, OnConflict.ERROR, Durability.DEFAULT);
                tables.add(t);
            }
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> reads = new ArrayList<>();
                for (int r = 0; r < 32; r++) {
                    int reader = r;
                    reads.add(pool.submit(() -> {
                        for (long i = 0; i < 200; i++) {
                            long id = (i * 37 + reader * 11) % ROWS;
                            Table t = tables.get((int) ((i + reader) % 2));
                            Optional<Map<String, Object>> row = t.get(id);
                            if (id % 2 == 0) {
                                assertThat(row).as("key %d of %s", id, t.name()).isPresent();
                                assertThat(row.get()).containsEntry("id", id)
                                        .containsEntry("label", t.name() + "-" + id);
                            } else {
                                assertThat(row).as("key %d of %s", id, t.name()).isEmpty();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : reads) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
