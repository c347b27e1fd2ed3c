package io.mathdb.engine;

import io.mathdb.engine.wal.WalFiles;
import java.time.Duration;

/**
 * Settings of one database. {@code flushInterval} bounds the loss window on power failure ({@code ZERO}: fsync only
 * on explicit flush); a snapshot is taken every {@code snapshotInterval} ({@code ZERO}: never on a timer) or after
 * {@code snapshotWalBytes} of new log, and the newest {@code snapshotRetain} snapshots are kept. Tables read by key
 * are copied into the heap within {@code mirrorBytes} (estimated; 0: none, reads by key query DuckDB; see
 * {@link io.mathdb.engine.store.RowMirrors}). DuckDB may take {@code storeMemoryBytes} of memory (0: its default,
 * 80 % of the machine's): a write it cannot hold is refused, or, if the log already holds it, stops writes until a
 * restart with more. {@code walFiles} is the log's file-system seam ({@link WalFiles#system()} but in tests).
 */
public record DatabaseOptions(
        Duration flushInterval,
        long segmentBytes,
        Duration snapshotInterval,
        long snapshotWalBytes,
        int snapshotRetain,
        boolean snapshotOnClose,
        int readConnections,
        long mirrorBytes,
        long storeMemoryBytes,
        WalFiles walFiles) {

    public static final DatabaseOptions DEFAULTS = new DatabaseOptions(
            Duration.ofSeconds(3), 64L << 20, Duration.ofMinutes(10), 256L << 20, 2, false, 8, defaultMirrorBytes(),
            0, WalFiles.system());

    /** A quarter of the heap the JVM may grow to. */
    public static long defaultMirrorBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

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
        if (mirrorBytes < 0) {
            throw new IllegalArgumentException("mirrorBytes must be zero or positive");
        }
        if (storeMemoryBytes < 0) {
            throw new IllegalArgumentException("storeMemoryBytes must be zero or positive");
        }
        if (walFiles == null) {
            walFiles = WalFiles.system();
        }
    }

    public DatabaseOptions withFlushInterval(Duration interval) {
        return new DatabaseOptions(interval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections, mirrorBytes, storeMemoryBytes, walFiles);
    }

    public DatabaseOptions withSegmentBytes(long bytes) {
        return new DatabaseOptions(flushInterval, bytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections, mirrorBytes, storeMemoryBytes, walFiles);
    }

    public DatabaseOptions withSnapshots(Duration interval, long walBytes, int retain, boolean onClose) {
        return new DatabaseOptions(flushInterval, segmentBytes, interval, walBytes, retain, onClose, readConnections,
                mirrorBytes, storeMemoryBytes, walFiles);
    }

    public DatabaseOptions withReadConnections(int connections) {
        return new DatabaseOptions(flushInterval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, connections, mirrorBytes, storeMemoryBytes, walFiles);
    }

    public DatabaseOptions withMirrorBytes(long bytes) {
        return new DatabaseOptions(flushInterval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections, bytes, storeMemoryBytes, walFiles);
    }

    public DatabaseOptions withStoreMemoryBytes(long bytes) {
        return new DatabaseOptions(flushInterval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections, mirrorBytes, bytes, walFiles);
    }

    /** The file-system seam of the log, for tests that inject write or fsync failures. */
    public DatabaseOptions withWalFiles(WalFiles files) {
        return new DatabaseOptions(flushInterval, segmentBytes, snapshotInterval, snapshotWalBytes, snapshotRetain,
                snapshotOnClose, readConnections, mirrorBytes, storeMemoryBytes, files);
    }
}
