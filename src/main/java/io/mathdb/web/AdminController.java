package io.mathdb.web;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseStatus;
import io.mathdb.engine.SnapshotStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Durability controls: fsync now, snapshot now, and the state of the log and snapshots. */
@RestController
@Tag(name = "admin")
class AdminController {
    private final Database db;

    AdminController(Database db) {
        this.db = db;
    }

    /** The LSN up to which the log is fsynced when the flush returns. */
    record Flushed(long durableLsn) {
    }

    @PostMapping("/admin/flush")
    @Operation(summary = "Fsync the write-ahead log now; every write acknowledged before the call survives power loss")
    @ApiResponse(responseCode = "200", description = "the log is durable up to durableLsn")
    @ApiResponse(responseCode = "503", description = "the log has failed (writes_stopped) or the database is recovering")
    Flushed flush() {
        return new Flushed(db.flush());
    }

    @PostMapping("/admin/snapshot")
    @Operation(summary = "Take a snapshot now, consistent at the current LSN, without stopping writers")
    @ApiResponse(responseCode = "200", description = "the snapshot taken (or the newest one, if nothing changed since)")
    @ApiResponse(responseCode = "503", description = "the database is recovering")
    SnapshotStatus snapshot() {
        return db.snapshot();
    }

    @GetMapping("/admin/status")
    @Operation(summary = "Last and durable LSN, flush lag, log segments, newest snapshot and the last recovery")
    @ApiResponse(responseCode = "200", description = "the status")
    @ApiResponse(responseCode = "503", description = "the database is recovering")
    DatabaseStatus status() {
        return db.status();
    }
}
