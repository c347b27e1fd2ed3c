package io.mathdb.web.read;

import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.query.QueryEngine;
import io.mathdb.engine.query.RowQuery;
import io.mathdb.engine.query.RowQueryParser;
import io.mathdb.engine.schema.TableSchema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /tables/{table}/export}: a whole table as one consistent stream. */
@RestController
class ExportController {
    static final String LSN_HEADER = "MathDB-LSN";
    private static final Set<ResultFormat> FORMATS = Set.of(ResultFormat.PARQUET, ResultFormat.CSV, ResultFormat.NDJSON);

    private final Database db;

    ExportController(Database db) {
        this.db = db;
    }

    @GetMapping("/tables/{table}/export")
    @Operation(summary = "Export a table as Parquet, CSV or NDJSON",
            description = "The whole table (the filters, select and order of GET /tables/{table}/rows apply; no "
                    + "page-size limit), exactly as it was at the LSN in the MathDB-LSN header, streamed. "
                    + "`polars.read_parquet(url)` and `duckdb.read_parquet(url)` read it directly. Parquet and CSV "
                    + "are written by DuckDB and sent with a Content-Length. CSV is RFC 4180 with a header line and "
                    + "CRLF, NULL an empty field, an empty string `\"\"`, each value in the same text as the CSV row "
                    + "reads, with one exception: a Float32/Float64 that Java 17 prints with more digits than it "
                    + "needs (JDK-4511638, e.g. `4.9E-324`, some Float32 beyond 1e10) comes with the shortest digits "
                    + "that read back as the same number (`5.0E-324`).")
    @Parameter(name = "format", in = ParameterIn.QUERY, schema = @Schema(type = "string",
            allowableValues = {"parquet", "csv", "ndjson"}, defaultValue = "parquet"))
    @ApiResponse(responseCode = "200", description = "The table",
            headers = @Header(name = LSN_HEADER, description = "the LSN the export is consistent at",
                    schema = @Schema(type = "integer", format = "int64")),
            content = {@Content(mediaType = "application/vnd.apache.parquet"), @Content(mediaType = "text/csv"),
                    @Content(mediaType = "application/x-ndjson")})
    @ApiResponse(responseCode = "400", description = "A bad format, filter, select or order",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No such table",
            content = @Content(mediaType = "application/problem+json"))
    void export(@PathVariable String table,
                @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params,
                HttpServletResponse response) {
        String name = params.getFirst("format");
        ResultFormat format = name == null ? ResultFormat.PARQUET : ResultFormat.byName(name, FORMATS);
        if (format == null) {
            throw new MathDbException(ErrorCode.INVALID_PARAMETER, "query parameter 'format=" + name
                    + "': expected parquet, csv or ndjson");
        }
        var engine = db.queries();
        TableSchema schema = db.schema(table);
        RowQuery query = RowQueryParser.parse(schema, ReadParams.of(params), Set.of("format"), null);
        String disposition = "attachment; filename=\"" + schema.name() + "." + format.extension() + "\"";
        // Parquet and CSV are files DuckDB writes; NDJSON streams row by row.
        QueryEngine.FileSink file = (path, lsn) -> {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(format.mediaType().toString());
            response.setHeader(LSN_HEADER, Long.toString(lsn));
            response.setHeader("Content-Disposition", disposition);
            response.setContentLengthLong(Files.size(path));
            Files.copy(path, response.getOutputStream());
        };
        if (format == ResultFormat.PARQUET) {
            engine.exportParquet(query, file);
            return;
        }
        if (format == ResultFormat.CSV) {
            engine.exportCsv(query, file);
            return;
        }
        engine.export(query, ResponseSinks.of(format, ResponseSinks.Shape.OBJECTS, response, header -> {
            response.setHeader(LSN_HEADER, Long.toString(header.lsn()));
            response.setHeader("Content-Disposition", disposition);
        }));
    }
}
