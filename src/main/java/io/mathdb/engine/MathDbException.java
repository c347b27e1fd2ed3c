package io.mathdb.engine;

/**
 * Every error the engine reports to its callers. The {@link ErrorCode} is stable and machine-readable; the message
 * names the table, column, key or value at fault.
 */
public class MathDbException extends RuntimeException {
    private final ErrorCode code;

    public MathDbException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public MathDbException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
