package io.mathdb.web;

import io.mathdb.engine.Database;
import io.mathdb.engine.TableInfo;
import io.mathdb.engine.WriteResult;
import io.mathdb.engine.schema.TableSchema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Creating, listing and dropping tables. */
@RestController
@Tag(name = "tables")
class TableController {
    private final Database db;

    TableController(Database db) {
        this.db = db;
    }

    @PostMapping(path = "/tables", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a table with exactly one primary-key column")
    @ApiResponse(responseCode = "201", description = "created; Location names the new table")
    @ApiResponse(responseCode = "400", description = "bad name, type or key definition")
    @ApiResponse(responseCode = "409", description = "a table of that name (in any case) exists")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    ResponseEntity<TableResponse> create(@RequestBody TableRequest request,
                                         @Parameter(description = "sync: acknowledge after fsync")
                                         @RequestParam(required = false) String durability) {
        TableSchema schema = request.toSchema();
        WriteResult result = db.createTable(schema, WriteParams.durability(durability));
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/tables/{table}")
                .buildAndExpand(schema.name()).toUri();
        return WriteParams.written(HttpStatus.CREATED, result).location(location).body(TableResponse.of(schema, 0));
    }

    @GetMapping("/tables")
    @Operation(summary = "List every table with its schema and row count")
    @ApiResponse(responseCode = "200", description = "the tables, by name")
    List<TableResponse> list() {
        return db.tables().stream().map(TableController::response).toList();
    }

    @GetMapping("/tables/{table}")
    @Operation(summary = "One table's schema and row count")
    @ApiResponse(responseCode = "200", description = "the table")
    @ApiResponse(responseCode = "404", description = "no such table")
    TableResponse get(@PathVariable String table) {
        TableSchema schema = db.schema(table);
        return TableResponse.of(schema, db.table(schema.name()).count());
    }

    @DeleteMapping("/tables/{table}")
    @Operation(summary = "Drop a table and all its rows")
    @ApiResponse(responseCode = "204", description = "dropped")
    @ApiResponse(responseCode = "400", description = "bad durability")
    @ApiResponse(responseCode = "404", description = "no such table")
    ResponseEntity<Void> drop(@PathVariable String table,
                              @Parameter(description = "sync: acknowledge after fsync")
                              @RequestParam(required = false) String durability) {
        WriteResult result = db.drop(table, WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.NO_CONTENT, result).build();
    }

    private static TableResponse response(TableInfo info) {
        return TableResponse.of(info.schema(), info.rows());
    }
}
