package io.mathdb.web;

import io.mathdb.engine.CoercedRows;
import io.mathdb.engine.MathDbException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.util.ClassUtil;

/**
 * Reads the JSON body of an insert (one row object, or an array of them) token by token straight into the engine's
 * {@link CoercedRows}: each value is coerced into its column's slot as it is parsed, with no JSON tree and no map per
 * row. For W4's 1000-row bodies that halves what the request thread spends on them, ~0.40 to ~0.21 µs of CPU a row
 * ({@code InsertParseBenchmark}); the tree and the maps were ~44 % of the request threads' samples in W4's profile
 * (bench/ANALYSIS.md). {@link HotPathFilter} and Spring MVC both read inserts here, so they read a body alike, in
 * the charset its content type declares, as Spring's JSON converter does.
 *
 * <p>The answers are those of reading the body as a {@code JsonNode} first, as Spring's JSON converter does, and
 * then the rows: the parser comes from the application's {@link ObjectMapper}, so its features hold (a key given
 * twice in one object is malformed JSON, see {@link JsonConfiguration}); the whole body is read even after a refusal,
 * because malformed JSON outranks everything else; then come the table's own errors ({@code no_such_table},
 * {@code recovering}), then a body of the wrong shape, and only last, when the rows are inserted, a refused row.
 */
@Component
class JsonRowReader {
    /** Spring's converter hands these to Jackson as bytes (it detects which one); other charsets as text. */
    private static final Set<String> UNICODE = Set.of("UTF-8", "UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32",
            "UTF-32BE", "UTF-32LE");
    /** Jackson's own words for content after the body's value (see {@code DeserializationContext}). */
    private static final String TRAILING = "Trailing token (`JsonToken.%s`) found after value (bound as %s): not "
            + "allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`";

    private final ObjectMapper json;

    JsonRowReader(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Reads the request's body into the rows {@code target} gives, which is asked once the body is known not to
     * be empty; an error it throws waits until the whole body has been read. Unreadable JSON fails with the
     * {@link HttpMessageNotReadableException} Spring's JSON converter would throw.
     */
    CoercedRows read(HttpServletRequest request, Supplier<CoercedRows> target) throws IOException {
        try (JsonParser parser = parser(request)) {
            if (parser.nextToken() == null) {
                throw new HttpMessageNotReadableException("Required request body is missing",
                        new ServletServerHttpRequest(request));
            }
            return read(parser, target);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e,
                    new ServletServerHttpRequest(request));
        }
    }

    private CoercedRows read(JsonParser parser, Supplier<CoercedRows> target) {
        CoercedRows rows = null;
        MathDbException refused = null;
        try {
            rows = target.get();
        } catch (MathDbException e) {
            refused = e;
        }
        MathDbException shape = null;
        switch (parser.currentToken()) {
            case START_OBJECT -> row(parser, rows);
            case START_ARRAY -> {
                int i = 0;
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), i++) {
                    if (t == JsonToken.START_OBJECT) {
                        row(parser, rows);
                    } else {
                        JsonNode element = parser.readValueAsTree();
                        shape = shape != null ? shape : RowJson.notAnObject("rows[" + i + "]", element);
                    }
                }
                if (i == 0) {
                    shape = RowJson.invalid("the body is an empty array; send at least one row");
                }
            }
            case VALUE_NULL -> shape = RowJson.invalid("the body must be a JSON object or an array of objects");
            default -> shape = RowJson.notAnObject("the body", parser.readValueAsTree());
        }
        if (json.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)) {
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw MismatchedInputException.from(parser, JsonNode.class,
                        TRAILING.formatted(trailing, ClassUtil.nameOf(JsonNode.class)));
            }
        }
        if (refused != null) {
            throw refused;
        }
        if (shape != null) {
            throw shape;
        }
        return rows;
    }

    /** One row object, the parser on its start; with no rows to fill (the table is unknown) it is only read. */
    private static void row(JsonParser parser, CoercedRows rows) {
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            Object value = value(parser, parser.nextToken());
            if (rows != null) {
                rows.set(name, value);
            }
        }
        if (rows != null) {
            rows.endRow();
        }
    }

    /** The value {@link RowJson#value} gives for the same JSON: exact numbers, and objects or arrays as trees. */
    private static Object value(JsonParser parser, JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue(); // Integer, Long or BigInteger, whichever fits
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> parser.readValueAsTree(); // the column's type refuses it, naming the column
        };
    }

    /** A parser reading the body as Spring's JSON converter reads it: bytes, or text in a declared non-Unicode charset. */
    private JsonParser parser(HttpServletRequest request) throws IOException {
        InputStream body = request.getInputStream();
        String contentType = request.getContentType();
        if (contentType == null || contentType.equals(MediaType.APPLICATION_JSON_VALUE)) {
            return json.createParser(body); // what nearly every client sends: no parsing of the header
        }
        Charset charset = MediaType.parseMediaType(contentType).getCharset();
        return charset == null || UNICODE.contains(charset.name()) ? json.createParser(body)
                : json.createParser(new InputStreamReader(body, charset));
    }
}
