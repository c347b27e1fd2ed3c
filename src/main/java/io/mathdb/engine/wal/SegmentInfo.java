package io.mathdb.engine.wal;

/** One segment file of the log: its name, the LSN of its first record, and its size in bytes. */
public record SegmentInfo(String fileName, long firstLsn, long bytes) {
}
