package io.mathdb.engine;

import io.mathdb.engine.wal.WalSyncer;
import io.mathdb.engine.wal.WalWriter;
import io.mathdb.engine.write.WriteLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The writer's view of the write-ahead log: appends through the segment writer, durability through the syncer. */
final class WalLog implements WriteLog {
    private final WalWriter wal;
    private final WalSyncer syncer;

    WalLog(WalWriter wal, WalSyncer syncer) {
        this.wal = wal;
        this.syncer = syncer;
    }

    @Override
    public long append(byte type, List<byte[]> payloads) {
        return wal.append(type, payloads);
    }

    @Override
    public void throttle() {
        syncer.throttle();
    }

    @Override
    public CompletableFuture<Long> awaitDurable(long lsn) {
        return syncer.awaitDurable(lsn);
    }

    @Override
    public long lastLsn() {
        return wal.lastLsn();
    }
}
