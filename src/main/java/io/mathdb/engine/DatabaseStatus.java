package io.mathdb.engine;

/**
 * The state of the log and snapshots: the last LSN applied, the last LSN known durable, how long the oldest
 * unsynced write has waited, the segments on disk, the newest snapshot (null if none), the last recovery, why
 * writes are stopped (null while they are not), the rows and estimated heap bytes of the copies that answer
 * reads by key ({@link io.mathdb.engine.store.RowMirrors}), and the rows acknowledged on those copies that DuckDB
 * has yet to take (the writer's backlog).
 */
public record DatabaseStatus(long lastLsn, long durableLsn, long flushLagMillis, int segmentCount, long walBytes,
                             SnapshotStatus lastSnapshot, RecoveryReport recovery, String writesStopped,
                             long mirrorRows, long mirrorBytes, long backlogRows) {
}
