package io.mathdb.engine;

/**
 * Where a starting database is: recovering (with progress), ready (with the report), or failed (with the reason
 * naming file and offset). Health indicators read it while recovery runs on its own thread.
 */
public record RecoveryState(Phase phase, long recordsReplayed, long bytesRead, RecoveryReport report,
                            String failure) {
    public enum Phase { LOADING_SNAPSHOT, REPLAYING_LOG, READY, FAILED }
}
