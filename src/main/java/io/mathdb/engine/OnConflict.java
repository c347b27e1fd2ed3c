package io.mathdb.engine;

/** What an insert does with a key that already exists (or repeats within the request). */
public enum OnConflict {
    /** The whole request fails with {@code duplicate_key}. */
    ERROR,
    /** The existing row is replaced whole; within one request the last row for a key wins. */
    UPDATE,
    /** The existing row is kept; within one request the first row for a key wins. */
    IGNORE
}
