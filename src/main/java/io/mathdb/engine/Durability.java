package io.mathdb.engine;

/** When a write is acknowledged. */
public enum Durability {
    /** Once its log record is written to the operating system; fsynced within the flush interval. */
    DEFAULT,
    /** Once an fsync covers its log record; concurrent sync writes share one fsync. */
    SYNC
}
