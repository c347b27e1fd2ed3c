package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads newline-delimited JSON line by line into the row stage, each object coerced exactly as the JSON API
 * coerces a row (same types, same errors, the line number added), so an NDJSON import and a JSON array of the same
 * rows behave alike. One line at a time is in the heap.
 */
final class NdjsonRows {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private NdjsonRows() {
    }

    static void stage(DuckDBConnection conn, TableSchema schema, Path file) throws SQLException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             DuckDBAppender appender = conn.createAppender("temp", "main", "__rows_" + Names.key(schema.name()))) {
            long line = 0;
            for (String text; (text = in.readLine()) != null; ) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                Object[] row;
                try {
                    Map<String, Object> values = JSON.readValue(text, Map.class);
                    row = schema.coerceRow(values);
                } catch (JacksonException e) {
                    throw new MathDbException(ErrorCode.MALFORMED_JSON, "NDJSON line " + line + ": "
                            + e.getOriginalMessage());
                } catch (MathDbException e) {
                    throw new MathDbException(e.code(), "NDJSON line " + line + ": " + e.getMessage(), e);
                }
                appender.beginRow();
                for (int i = 0; i < row.length; i++) {
                    Values.append(appender, schema.columns().get(i).type(), row[i]);
                }
                appender.endRow();
            }
            appender.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the NDJSON body", e);
        }
    }
}
