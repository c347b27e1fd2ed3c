package io.mathdb.engine.write;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The log as exclusive work sees it: a failed append surfaces as {@link Writer.WalFailure}, which the writer turns
 * into its latched failure, so exclusive work cannot mistake a log failure for a bad request.
 */
final class FailureLatchingLog implements WriteLog {
    private final WriteLog log;

    FailureLatchingLog(WriteLog log) {
        this.log = log;
    }

    @Override
    public long append(byte type, List<byte[]> payloads) {
        try {
            return log.append(type, payloads);
        } catch (RuntimeException e) {
            throw new Writer.WalFailure(e);
        }
    }

    @Override
    public void throttle() {
        log.throttle();
    }

    @Override
    public CompletableFuture<Long> awaitDurable(long lsn) {
        return log.awaitDurable(lsn);
    }

    @Override
    public long lastLsn() {
        return log.lastLsn();
    }
}
