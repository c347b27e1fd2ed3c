package io.mathdb.web.read;

import io.mathdb.engine.query.ResultColumn;
import io.mathdb.engine.query.RowSink;
import io.mathdb.engine.query.WireText;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Answers written straight to the HTTP response as rows arrive: Jackson's streaming generator for JSON and NDJSON,
 * a few lines of RFC 4180 for CSV. Nothing is committed before {@link RowSink#start}, which runs after the query
 * succeeded in DuckDB, so every error up to then is still a problem+json answer.
 */
final class ResponseSinks {
    /** No separator between root values: NDJSON puts exactly one newline between objects. */
    private static final JsonFactory JSON = JsonFactory.builder().rootValueSeparator((String) null).build();

    private ResponseSinks() {
    }

    /** Whether an answer is rows of objects (the table reads) or the SQL shape {@code {"columns","rows"}}. */
    enum Shape { OBJECTS, SQL }

    /** A sink for {@code format}; {@code headers} adds answer headers once the header of the answer is known. */
    static RowSink of(ResultFormat format, Shape shape, HttpServletResponse response,
                      Consumer<RowSink.Header> headers) {
        return switch (format) {
            case JSON -> shape == Shape.SQL ? new SqlJson(response, headers) : new JsonArray(response, headers);
            case NDJSON -> new Ndjson(response, headers);
            case CSV -> new Csv(response, headers);
            case PARQUET -> throw new IllegalArgumentException("Parquet answers are files, not row sinks");
        };
    }

    private abstract static class Base implements RowSink {
        final HttpServletResponse response;
        final Consumer<Header> headers;
        final ResultFormat format;
        List<ResultColumn> columns;

        Base(HttpServletResponse response, Consumer<Header> headers, ResultFormat format) {
            this.response = response;
            this.headers = headers;
            this.format = format;
        }

        @Override
        public final void start(Header header) throws IOException {
            columns = header.columns();
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(format.mediaType().toString());
            headers.accept(header);
            begin(response.getOutputStream());
        }

        abstract void begin(OutputStream out) throws IOException;
    }

    /** {@code [{"id":1,...},...]} */
    private static final class JsonArray extends Base {
        private JsonGenerator g;

        JsonArray(HttpServletResponse response, Consumer<Header> headers) {
            super(response, headers, ResultFormat.JSON);
        }

        @Override
        void begin(OutputStream out) {
            g = JSON.createGenerator(ObjectWriteContext.empty(), out);
            g.writeStartArray();
        }

        @Override
        public void row(Object[] values) {
            g.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                g.writeName(columns.get(i).name());
                WireValues.write(g, values[i]);
            }
            g.writeEndObject();
        }

        @Override
        public void end(boolean truncated) {
            g.writeEndArray();
            g.close();
        }
    }

    /** {@code {"columns":[{"name","type"}],"rows":[[...]],"truncated":false}} */
    private static final class SqlJson extends Base {
        private JsonGenerator g;

        SqlJson(HttpServletResponse response, Consumer<Header> headers) {
            super(response, headers, ResultFormat.JSON);
        }

        @Override
        void begin(OutputStream out) {
            g = JSON.createGenerator(ObjectWriteContext.empty(), out);
            g.writeStartObject();
            g.writeName("columns");
            g.writeStartArray();
            for (ResultColumn c : columns) {
                g.writeStartObject();
                g.writeStringProperty("name", c.name());
                g.writeStringProperty("type", c.type());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeName("rows");
            g.writeStartArray();
        }

        @Override
        public void row(Object[] values) {
            g.writeStartArray();
            for (Object v : values) {
                WireValues.write(g, v);
            }
            g.writeEndArray();
        }

        @Override
        public void end(boolean truncated) {
            g.writeEndArray();
            g.writeBooleanProperty("truncated", truncated);
            g.writeEndObject();
            g.close();
        }
    }

    /** One JSON object per line. */
    private static final class Ndjson extends Base {
        private OutputStream out;
        private JsonGenerator g;

        Ndjson(HttpServletResponse response, Consumer<Header> headers) {
            super(response, headers, ResultFormat.NDJSON);
        }

        @Override
        void begin(OutputStream stream) {
            out = stream;
            g = JSON.createGenerator(ObjectWriteContext.empty(), stream);
        }

        @Override
        public void row(Object[] values) {
            g.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                g.writeName(columns.get(i).name());
                WireValues.write(g, values[i]);
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }

        @Override
        public void end(boolean truncated) {
            g.close();
        }
    }

    /** RFC 4180 with a header line; NULL is an empty field, an empty string is {@code ""}. */
    private static final class Csv extends Base {
        private Writer w;

        Csv(HttpServletResponse response, Consumer<Header> headers) {
            super(response, headers, ResultFormat.CSV);
        }

        @Override
        void begin(OutputStream out) throws IOException {
            w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    w.write(',');
                }
                field(columns.get(i).name());
            }
            w.write("\r\n");
        }

        @Override
        public void row(Object[] values) throws IOException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    w.write(',');
                }
                String text = WireText.of(values[i]);
                if (text != null) {
                    field(text);
                }
            }
            w.write("\r\n");
        }

        private void field(String text) throws IOException {
            boolean quote = text.isEmpty() || text.indexOf(',') >= 0 || text.indexOf('"') >= 0
                    || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
            if (quote) {
                w.write('"');
                w.write(text.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(text);
            }
        }

        @Override
        public void end(boolean truncated) throws IOException {
            w.flush();
        }
    }
}
