package io.mathdb.engine;

import java.time.Duration;

/**
 * Settings of one database. {@code flushInterval} bounds the loss window on power failure ({@code ZERO}: fsync only
 * on explicit flush); a snapshot is taken every {@code snapshotInterval} ({@code ZERO}: never on a timer) or after
 * {@code snapshotWalBytes} of new log, and the newest {@code snapshotRetain} snapshots are kept.
 */
public record DatabaseOptions(
        Duration flushInterval,
        long segmentBytes,
        Duration snapshotInterval,
        long snapshotWalBytes,
        int snapshotRetain,
        boolean snapshotOnClose,
        int readConnections) {

    public static final DatabaseOptions DEFAULTS = new DatabaseOptions(
            Duration.ofSeconds(3), 64L << 20, Duration.ofMinutes(10), 256L << 20, 2, false, 8);

    public DatabaseOptions {
        if (flushInterval == null || flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must be zero or positive");
        }
        if (snapshotInterval == null || snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("snapshotInterval must be zero or positive");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096");
        }
        if (snapshotRetain < 1) {
            throw new IllegalArgumentException("snapshotRetain must be at least 1");
        }
        if (readConnections < 1) {
            throw new IllegalArgumentException("readConnections must be at least 1");
        }
    }

    public DatabaseOptions withFlushInterval(Duration interval) {
        return new DatabaseOptions(interval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections);
    }

    public DatabaseOptions withSegmentBytes(long bytes) {
        return new DatabaseOptions(flushInterval, bytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections);
    }

    public DatabaseOptions withSnapshots(Duration interval, long walBytes, int retain, boolean onClose) {
        return new DatabaseOptions(flushInterval, segmentBytes, interval, walBytes, retain, onClose, readConnections);
    }
}
