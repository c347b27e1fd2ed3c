package io.mathdb.engine.query;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the note, not a test: run with {@code ./mvnw test -Dtest=ReadBenchmark -Dmathdb.bench=10000000}.
 * Prints load, group-by and export times and the JVM heap in use after each step.
 */
@EnabledIfSystemProperty(named = "mathdb.bench", matches = "\\d+")
class ReadBenchmark {
    @TempDir
    Path dir;

    @Test
    void groupByAndExportOfManyRows() throws Exception {
        int n = Integer.parseInt(System.getProperty("mathdb.bench"));
        try (Database db = Database.open(dir)) {
            db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32"))));
            long t0 = System.nanoTime();
            for (int start = 0; start < n; start += 100_000) {
                List<Map<String, Object>> rows = new ArrayList<>(100_000);
                for (int i = start; i < Math.min(n, start + 100_000); i++) {
                    rows.add(Map.of("id", (long) i, "name", "name" + (i % 1000), "age", (long) (i % 90)));
                }
                db.table("users").insert(rows, OnConflict.ERROR, Durability.DEFAULT);
            }
            report("load " + n + " rows", t0);

            t0 = System.nanoTime();
            ListSink groups = new ListSink();
            db.queries().sql("SELECT name, avg(age), count(*) FROM users WHERE age > ? GROUP BY name", List.of(20),
                    Duration.ofSeconds(60), 100_000, groups);
            report("/query group-by (" + groups.rows.size() + " groups)", t0);

            t0 = System.nanoTime();
            long[] size = new long[1];
            db.queries().exportParquet(RowQueryParser.parse(db.schema("users"), Map.of(), Set.of(), null),
                    (file, lsn) -> size[0] = Files.size(file));
            report("Parquet export (" + size[0] / 1_000_000 + " MB zstd)", t0);

            t0 = System.nanoTime();
            long[] rows = new long[1];
            db.queries().export(RowQueryParser.parse(db.schema("users"), Map.of(), Set.of(), null), new RowSink() {
                @Override
                public void start(Header header) {
                }

                @Override
                public void row(Object[] values) {
                    rows[0]++;
                }

                @Override
                public void end(boolean truncated) {
                }
            });
            report("row export through the JDBC reader (" + rows[0] + " rows)", t0);
        }
    }

    private static void report(String what, long t0) {
        Runtime r = Runtime.getRuntime();
        System.gc();
        System.out.printf("BENCH %-60s %8.2f s   heap used %d MB of max %d MB%n", what, (System.nanoTime() - t0) / 1e9,
                (r.totalMemory() - r.freeMemory()) >> 20, r.maxMemory() >> 20);
    }
}
