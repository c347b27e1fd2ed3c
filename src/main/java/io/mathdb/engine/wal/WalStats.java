package io.mathdb.engine.wal;

/**
 * Counters of one {@link WalWriter} since it was opened, for the metrics layer.
 *
 * @param syncs           completed fsync rounds (each may force a segment and the directory)
 * @param syncNanos       total time spent in those rounds
 * @param bytesAppended   bytes handed to the OS by {@code append}, framing included
 * @param recordsAppended records handed to the OS by {@code append}
 */
public record WalStats(long syncs, long syncNanos, long bytesAppended, long recordsAppended) {
}
