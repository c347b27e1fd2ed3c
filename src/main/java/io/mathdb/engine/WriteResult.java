package io.mathdb.engine;

/**
 * The outcome of an acknowledged write: the log sequence number of its record (monotonic across the database) and
 * the number of rows it changed.
 */
public record WriteResult(long lsn, long rows) {
}
