package io.mathdb.engine.write;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;

/** A logged record that does not apply during recovery: the log and the state it is replayed onto disagree. */
public final class ReplayException extends MathDbException {
    private final long lsn;

    public ReplayException(long lsn, Throwable cause) {
        super(ErrorCode.CORRUPT_DATA, "the write-ahead log record at LSN " + lsn + " does not apply during recovery: "
                + cause.getMessage(), cause);
        this.lsn = lsn;
    }

    public long lsn() {
        return lsn;
    }
}
