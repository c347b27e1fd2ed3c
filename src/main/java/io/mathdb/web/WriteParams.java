package io.mathdb.web;

import io.mathdb.engine.Durability;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.WriteResult;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The query parameters and headers every write shares, and the {@code MathDB-LSN} header every write answers with. */
final class WriteParams {
    /** The log sequence number of a write: clients compare it to order their writes, or to wait for a replica. */
    static final String LSN_HEADER = "MathDB-LSN";

    private WriteParams() {
    }

    /** {@code ?durability=sync} waits for an fsync; absent or {@code default} waits for the write to the OS. */
    static Durability durability(String value) {
        if (value == null || value.equalsIgnoreCase("default")) {
            return Durability.DEFAULT;
        }
        if (value.equalsIgnoreCase("sync")) {
            return Durability.SYNC;
        }
        throw new MathDbException(ErrorCode.INVALID_REQUEST,
                "query parameter durability is '" + value + "'; expected sync or default");
    }

    /**
     * {@code ?on_conflict=update|ignore|error}, else PostgREST's {@code Prefer: resolution=merge-duplicates} or
     * {@code resolution=ignore-duplicates}. The query parameter wins; preferences a server does not know are
     * ignored (RFC 7240), so an odd {@code Prefer} means a plain insert.
     */
    static OnConflict onConflict(String param, String prefer) {
        if (param != null) {
            return switch (param.toLowerCase(Locale.ROOT)) {
                case "error" -> OnConflict.ERROR;
                case "update" -> OnConflict.UPDATE;
                case "ignore" -> OnConflict.IGNORE;
                default -> throw new MathDbException(ErrorCode.INVALID_REQUEST,
                        "query parameter on_conflict is '" + param + "'; expected update, ignore or error");
            };
        }
        if (prefer != null) {
            for (String preference : prefer.split("[,;]")) {
                String p = preference.trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.equals("resolution=merge-duplicates")) {
                    return OnConflict.UPDATE;
                }
                if (p.equals("resolution=ignore-duplicates")) {
                    return OnConflict.IGNORE;
                }
            }
        }
        return OnConflict.ERROR;
    }

    static ResponseEntity.BodyBuilder written(HttpStatus status, WriteResult result) {
        return ResponseEntity.status(status).header(LSN_HEADER, Long.toString(result.lsn()));
    }
}
