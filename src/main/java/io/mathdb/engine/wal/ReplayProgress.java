package io.mathdb.engine.wal;

/**
 * Counters a replay advances while it runs, readable from another thread (a health indicator showing
 * start-up progress). Records advance with each batch handed to the sink, bytes with each finished segment.
 */
public final class ReplayProgress {

    private volatile long recordsReplayed;
    private volatile long bytesRead;
    private volatile int segmentsRead;

    public long recordsReplayed() {
        return recordsReplayed;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public int segmentsRead() {
        return segmentsRead;
    }

    // Advanced by the replaying thread only.
    void addRecords(long records) {
        recordsReplayed += records;
    }

    void addSegment(long bytes) {
        bytesRead += bytes;
        segmentsRead++;
    }
}
