package io.mathdb.web;

import io.mathdb.engine.Database;
import io.mathdb.engine.ImportFormat;
import io.mathdb.engine.WriteResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import: the same URL as a JSON insert, with a CSV, NDJSON or Parquet body. The body streams to the engine,
 * which spools it to disk and loads it with DuckDB, so a file of millions of rows never sits in the heap.
 */
@RestController
@Tag(name = "rows")
class ImportController {
    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";
    static final String PARQUET = "application/vnd.apache.parquet";

    private final Database db;

    ImportController(Database db) {
        this.db = db;
    }

    @PostMapping(path = "/tables/{table}/rows", consumes = {CSV, NDJSON, PARQUET})
    @Operation(summary = "Bulk import a CSV (header line), NDJSON or Parquet file of rows, all or nothing")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "the file", content = {
            @Content(mediaType = CSV, schema = @Schema(type = "string")),
            @Content(mediaType = NDJSON, schema = @Schema(type = "string")),
            @Content(mediaType = PARQUET, schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "201", description = "written")
    @ApiResponse(responseCode = "400", description = "unknown column, wrong type, value out of range, null key, "
            + "missing non-nullable column, malformed JSON or bad parameter")
    @ApiResponse(responseCode = "404", description = "no such table")
    @ApiResponse(responseCode = "409", description = "a key exists or repeats (plain insert); nothing written")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    ResponseEntity<WriteResponse> importRows(
            @PathVariable String table,
            HttpServletRequest request,
            @Parameter(name = "on_conflict", description = RowController.ON_CONFLICT,
                    schema = @Schema(allowableValues = {"error", "update", "ignore"}))
            @RequestParam(name = "on_conflict", required = false) String onConflict,
            @Parameter(description = RowController.PREFER)
            @RequestHeader(name = "Prefer", required = false) String prefer,
            @Parameter(description = RowController.DURABILITY) @RequestParam(required = false) String durability)
            throws IOException {
        ImportFormat format = switch (MediaType.parseMediaType(request.getContentType()).getSubtype()) {
            case "csv" -> ImportFormat.CSV;
            case "x-ndjson" -> ImportFormat.NDJSON;
            default -> ImportFormat.PARQUET;
        };
        WriteResult result = db.importRows(table, request.getInputStream(), format,
                WriteParams.onConflict(onConflict, prefer), WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.CREATED, result).body(WriteResponse.of(result));
    }
}
