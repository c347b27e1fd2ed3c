package io.mathdb.web;

import io.mathdb.engine.CoercedRows;
import io.mathdb.engine.Database;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Figures, not a test: run with {@code ./mvnw test -Dtest=InsertParseBenchmark -Dmathdb.bench=3000}. The CPU a
 * request thread spends turning W4's body (1000 rows, bench/wrk/batch.lua) into coerced rows, per row: read as a
 * tree, then a map per row, then coerced (as inserts did before {@link JsonRowReader}), against streamed straight
 * into {@link CoercedRows}. Thread CPU time, so other load on the machine matters less than for wall time.
 */
@EnabledIfSystemProperty(named = "mathdb.bench", matches = "\\d+")
class InsertParseBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @TempDir
    Path dir;

    @Test
    void treeAndMapsAgainstStreaming() throws Exception {
        int bodies = Integer.parseInt(System.getProperty("mathdb.bench"));
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (long k = 10_000_000_000_000L; k < 10_000_000_001_000L; k++) {
            rows.add("{\"id\":%d,\"name\":\"n%09d\",\"age\":%d}".formatted(k, k % 1_000_000_000, k % 100));
        }
        byte[] body = rows.toString().getBytes(StandardCharsets.UTF_8);
        try (Database db = Database.open(dir)) {
            TableSchema schema = TableSchema.of("w", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32")));
            db.create(schema);
            JsonRowReader reader = new JsonRowReader(JSON);
            Supplier<Object> tree = () -> {
                List<Object[]> coerced = new ArrayList<>();
                for (JsonNode node : JSON.readTree(body)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    node.properties().forEach(e -> row.put(e.getKey(), RowJson.value(e.getValue())));
                    coerced.add(schema.coerceRow(row));
                }
                return coerced;
            };
            Supplier<Object> streamed = () -> {
                MockHttpServletRequest request = new MockHttpServletRequest("POST", "/tables/w/rows") {
                    @Override
                    public ServletInputStream getInputStream() {
                        return new BulkInputStream(body); // the mock's own reads a byte at a time; Tomcat's do not
                    }
                };
                request.setContentType("application/json");
                try {
                    return reader.read(request, () -> db.coerceRows("w"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
                System.out.printf("round %d: tree and maps %.3f µs/row, streamed %.3f µs/row%n", round,
                        cpuPerRow(tree, bodies), cpuPerRow(streamed, bodies));
            }
        }
    }

    private static final class BulkInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BulkInputStream(byte[] body) {
            in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }

    private static double cpuPerRow(Supplier<Object> parse, int bodies) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < bodies; i++) {
            parse.get();
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1000.0 / bodies / 1000;
    }
}
