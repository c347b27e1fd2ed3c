package io.mathdb.web;

import io.mathdb.engine.CoercedRows;
import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.Table;
import io.mathdb.engine.WriteResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Rows of one table, addressed by primary key. Each request is one engine call, so it is applied whole or not at
 * all. A key in the path is text; {@link Keys} types it for the key column.
 */
@RestController
@RequestMapping("/tables/{table}")
@Tag(name = "rows")
class RowController {
    static final String DURABILITY = "sync: acknowledge after fsync";
    static final String ON_CONFLICT = "update: replace existing rows (upsert); ignore: keep existing rows; "
            + "error (default): refuse the request";
    static final String PREFER = "resolution=merge-duplicates (upsert) or resolution=ignore-duplicates, as in "
            + "PostgREST; on_conflict wins if both are given";

    private final Database db;
    private final JsonRowReader bodies;

    RowController(Database db, JsonRowReader bodies) {
        this.db = db;
        this.bodies = bodies;
    }

    @PostMapping(path = "/rows", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Insert one row or an array of rows, all or nothing; "
            + "or upsert, or insert ignoring existing keys")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "a row object or an array of row objects",
            required = true, content = @Content(schema = @Schema(types = {"object", "array"})))
    @ApiResponse(responseCode = "201", description = "written")
    @ApiResponse(responseCode = "400", description = "unknown column, wrong type, value out of range, null key, "
            + "missing non-nullable column, malformed JSON or bad parameter")
    @ApiResponse(responseCode = "404", description = "no such table")
    @ApiResponse(responseCode = "409", description = "a key exists or repeats (plain insert); nothing written")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    CompletableFuture<ResponseEntity<WriteResponse>> insert(
            @PathVariable String table,
            HttpServletRequest request,
            @Parameter(name = "on_conflict", description = ON_CONFLICT,
                    schema = @Schema(allowableValues = {"error", "update", "ignore"}))
            @RequestParam(name = "on_conflict", required = false) String onConflict,
            @Parameter(description = PREFER)
            @RequestHeader(name = "Prefer", required = false) String prefer,
            @Parameter(description = DURABILITY) @RequestParam(required = false) String durability)
            throws IOException {
        return insert(readRows(table, request), onConflict, prefer, durability);
    }

    /**
     * The body of an insert, its rows coerced for {@code table} as they are parsed (see {@link JsonRowReader}): the
     * first half of an insert, apart so {@link HotPathFilter} can read the body before it goes asynchronous.
     */
    CoercedRows readRows(String table, HttpServletRequest request) throws IOException {
        return bodies.read(request, () -> db.coerceRows(table));
    }

    /** The second half of an insert: queues the rows read. */
    CompletableFuture<ResponseEntity<WriteResponse>> insert(CoercedRows rows, String onConflict, String prefer,
                                                            String durability) {
        // The request thread does not wait for the writer: it is free for the next request while the write is
        // logged and applied (bench/ANALYSIS.md, W1).
        return db.insertAsync(rows, WriteParams.onConflict(onConflict, prefer), WriteParams.durability(durability))
                .thenApply(result -> WriteParams.written(HttpStatus.CREATED, result).body(WriteResponse.of(result)));
    }

    @GetMapping("/rows/{key}")
    @Operation(summary = "The row stored under a key")
    @ApiResponse(responseCode = "200", description = "the row, column name to value")
    @ApiResponse(responseCode = "400", description = "the key does not fit the key column")
    @ApiResponse(responseCode = "404", description = "no such table or row")
    Map<String, Object> get(@PathVariable String table, @PathVariable String key) {
        Table t = db.table(table);
        Object k = Keys.fromPath(t.schema(), key);
        return t.get(k).map(RowJson::toJson).orElseThrow(() -> new MathDbException(ErrorCode.NO_SUCH_ROW,
                "table '" + t.name() + "' has no row with key " + key));
    }

    @PutMapping(path = "/rows/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace the whole row stored under a key")
    @ApiResponse(responseCode = "200", description = "replaced")
    @ApiResponse(responseCode = "400", description = "bad row, or the body's key differs from the path's")
    @ApiResponse(responseCode = "404", description = "no such table or row")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    ResponseEntity<WriteResponse> replace(@PathVariable String table, @PathVariable String key,
                                          @RequestBody JsonNode body,
                                          @Parameter(description = DURABILITY)
                                          @RequestParam(required = false) String durability) {
        Table t = db.table(table);
        WriteResult result = t.update(Keys.fromPath(t.schema(), key), RowJson.row(body, "the body"),
                WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.OK, result).body(WriteResponse.of(result));
    }

    @PatchMapping(path = "/rows/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set some columns of the row stored under a key")
    @ApiResponse(responseCode = "200", description = "patched")
    @ApiResponse(responseCode = "400", description = "bad column or value, or the body's key differs")
    @ApiResponse(responseCode = "404", description = "no such table or row")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    ResponseEntity<WriteResponse> patch(@PathVariable String table, @PathVariable String key,
                                        @RequestBody JsonNode body,
                                        @Parameter(description = DURABILITY)
                                        @RequestParam(required = false) String durability) {
        Table t = db.table(table);
        WriteResult result = t.patch(Keys.fromPath(t.schema(), key), RowJson.row(body, "the body"),
                WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.OK, result).body(WriteResponse.of(result));
    }

    @DeleteMapping("/rows/{key}")
    @Operation(summary = "Delete the row stored under a key")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "the key does not fit the key column, or bad durability")
    @ApiResponse(responseCode = "404", description = "no such table or row")
    ResponseEntity<Void> delete(@PathVariable String table, @PathVariable String key,
                                @Parameter(description = DURABILITY)
                                @RequestParam(required = false) String durability) {
        Table t = db.table(table);
        WriteResult result = t.delete(Keys.fromPath(t.schema(), key), WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.NO_CONTENT, result).build();
    }

    @GetMapping("/count")
    @Operation(summary = "The number of rows in a table")
    @ApiResponse(responseCode = "200", description = "the count")
    @ApiResponse(responseCode = "404", description = "no such table")
    CountResponse count(@PathVariable String table) {
        return new CountResponse(db.table(table).count());
    }
}
