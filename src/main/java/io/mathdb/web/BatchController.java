package io.mathdb.web;

import io.mathdb.engine.Database;
import io.mathdb.engine.WriteResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Several row operations over one or more tables, applied atomically in order. */
@RestController
@Tag(name = "batch")
class BatchController {
    private final Database db;

    BatchController(Database db) {
        this.db = db;
    }

    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Apply insert, upsert, update, patch and delete operations atomically: all or none")
    @ApiResponse(responseCode = "200", description = "every operation applied")
    @ApiResponse(responseCode = "400", description = "an operation is invalid (the detail names it as ops[i]); "
            + "nothing applied")
    @ApiResponse(responseCode = "404", description = "an operation names a missing table or row; nothing applied")
    @ApiResponse(responseCode = "409", description = "an insert's key exists or repeats; nothing applied")
    @ApiResponse(responseCode = "413", description = "body too large")
    @ApiResponse(responseCode = "415", description = "body is not JSON")
    ResponseEntity<WriteResponse> batch(@RequestBody BatchRequest request,
                                        @Parameter(description = "sync: acknowledge after fsync")
                                        @RequestParam(required = false) String durability) {
        WriteResult result = db.batch(request.toRowOps(), WriteParams.durability(durability));
        return WriteParams.written(HttpStatus.OK, result).body(WriteResponse.of(result));
    }
}
