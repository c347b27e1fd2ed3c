package io.mathdb.engine;

import java.time.Duration;

/**
 * What the last start-up recovered: the snapshot it loaded (LSN 0 if none), the log records replayed after it,
 * the bytes of torn tail cut from the newest segment (and where), and how long it took.
 */
public record RecoveryReport(long snapshotLsn, long recordsReplayed, long bytesTruncated, String tornFile,
                             long tornOffset, long lastLsn, Duration duration, java.util.List<String> skippedSnapshots) {
}
