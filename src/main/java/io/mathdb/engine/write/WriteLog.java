package io.mathdb.engine.write;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the writer needs of the write-ahead log. */
public interface WriteLog {
    /** Writes the payloads as consecutive records with one system call; returns the LSN of the last one. */
    long append(byte type, List<byte[]> payloads);

    /** Blocks while the log's unsynced bytes are older than the flush interval (backpressure). */
    void throttle();

    /** Completes once an fsync covers {@code lsn}. */
    CompletableFuture<Long> awaitDurable(long lsn);

    /** The last LSN handed out, for a writer that starts after recovery. */
    long lastLsn();
}
