package io.mathdb.web.read;

import io.mathdb.config.MathDbProperties;
import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Parameter;

/** {@code POST /query}: one read-only SELECT over MathDB tables. */
@RestController
class QueryController {
    private static final List<ResultFormat> FORMATS = List.of(ResultFormat.JSON, ResultFormat.CSV,
            ResultFormat.NDJSON, ResultFormat.PARQUET);

    private final Database db;
    private final MathDbProperties.Query properties;

    QueryController(Database db, MathDbProperties properties) {
        this.db = db;
        this.properties = properties.query();
    }

    /** The body: SQL text with {@code ?} or {@code $1} placeholders, and their values in order. */
    @Schema(name = "QueryRequest")
    record QueryRequest(
            @Schema(example = "SELECT name, avg(age) FROM users WHERE age > ? GROUP BY name",
                    requiredMode = Schema.RequiredMode.REQUIRED) String sql,
            @Schema(description = "values of the placeholders, in order", example = "[20]") List<Object> params) {
    }

    @PostMapping(path = "/query", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Run one read-only SELECT",
            description = "Exactly one SELECT statement over MathDB tables, in a read-only transaction, stopped "
                    + "after `mathdb.query.timeout`. No files, table functions (but range, generate_series, "
                    + "unnest), settings, extensions, writes (data-modifying CTEs included) or second statement. "
                    + "JSON answers hold at most `mathdb.query.max-json-rows` rows and say `truncated: true` when "
                    + "rows were left out; CSV, NDJSON and Parquet (by Accept) are not capped.")
    @ApiResponse(responseCode = "200", description = "The answer; column types are MathDB type names",
            content = {@Content(mediaType = "application/json",
                    schema = @Schema(implementation = QueryAnswerDoc.class)),
                    @Content(mediaType = "text/csv"), @Content(mediaType = "application/x-ndjson"),
                    @Content(mediaType = "application/vnd.apache.parquet")})
    @ApiResponse(responseCode = "400", description = "invalid_sql (does not parse or bind), query_refused (not one "
            + "read-only SELECT over MathDB tables) or query_timeout",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "406", description = "No acceptable format",
            content = @Content(mediaType = "application/problem+json"))
    void query(@RequestBody QueryRequest request,
               @Parameter(hidden = true) @RequestHeader(value = "Accept", required = false) String accept,
               HttpServletResponse response) throws HttpMediaTypeNotAcceptableException {
        ResultFormat format = ResultFormat.negotiate(accept, FORMATS);
        if (request == null || request.sql() == null) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "the body needs \"sql\": one SELECT statement");
        }
        var engine = db.queries();
        if (format == ResultFormat.PARQUET) {
            engine.sqlParquet(request.sql(), request.params(), properties.timeout(), (file, lsn) -> {
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType(format.mediaType().toString());
                response.setContentLengthLong(Files.size(file));
                Files.copy(file, response.getOutputStream());
            });
            return;
        }
        engine.sql(request.sql(), request.params(), properties.timeout(),
                format == ResultFormat.JSON ? properties.maxJsonRows() : Long.MAX_VALUE,
                ResponseSinks.of(format, ResponseSinks.Shape.SQL, response, header -> { }));
    }
}
