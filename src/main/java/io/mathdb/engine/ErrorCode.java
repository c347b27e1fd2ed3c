package io.mathdb.engine;

import java.util.Locale;

/** Stable machine-readable error codes; {@link #kind()} tells a transport which family of status fits. */
public enum ErrorCode {
    INVALID_NAME(Kind.INVALID),
    INVALID_SCHEMA(Kind.INVALID),
    INVALID_TYPE(Kind.INVALID),
    UNKNOWN_COLUMN(Kind.INVALID),
    TYPE_MISMATCH(Kind.INVALID),
    OUT_OF_RANGE(Kind.INVALID),
    MISSING_COLUMN(Kind.INVALID),
    NULL_VALUE(Kind.INVALID),
    NULL_KEY(Kind.INVALID),
    KEY_MISMATCH(Kind.INVALID),
    INVALID_REQUEST(Kind.INVALID),
    MALFORMED_JSON(Kind.INVALID),
    NO_SUCH_TABLE(Kind.NOT_FOUND),
    NO_SUCH_ROW(Kind.NOT_FOUND),
    TABLE_EXISTS(Kind.CONFLICT),
    DUPLICATE_KEY(Kind.CONFLICT),
    WRITES_STOPPED(Kind.UNAVAILABLE),
    CLOSED(Kind.UNAVAILABLE),
    DIRECTORY_LOCKED(Kind.UNAVAILABLE),
    RECOVERING(Kind.UNAVAILABLE),
    RECOVERY_FAILED(Kind.UNAVAILABLE),
    CORRUPT_DATA(Kind.INTERNAL),
    INTERNAL(Kind.INTERNAL),
    /** A row filter ({@code age=gt.x}, {@code or=(...)}) that does not parse or whose value does not fit its column. */
    INVALID_FILTER(Kind.INVALID),
    /** A read parameter other than a filter ({@code select}, {@code order}, {@code limit}, {@code offset}, format). */
    INVALID_PARAMETER(Kind.INVALID),
    /** Read-only SQL that does not parse or bind (syntax error, unknown table or column, wrong parameter count). */
    INVALID_SQL(Kind.INVALID),
    /** Read-only SQL that parses but may not run: not one SELECT, or it reaches files, settings, extensions or writes. */
    QUERY_REFUSED(Kind.INVALID),
    /** A read ran past its time limit ({@code mathdb.query.timeout}) and was stopped. */
    QUERY_TIMEOUT(Kind.INVALID);

    /** Families of errors, so a transport can map codes to statuses without listing each one. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNAVAILABLE, INTERNAL }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The wire form, e.g. {@code duplicate_key}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
