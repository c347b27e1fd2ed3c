package io.mathdb.engine.write;

/**
 * One row-level change with values already coerced to the column types. {@code values} is a full positional row for
 * inserts, upserts and replacements; for a patch it holds the columns where {@code mask} is set; for a delete it is
 * null. {@code key} is always the coerced primary-key value.
 */
public record RowChange(Kind kind, String table, Object key, Object[] values, boolean[] mask) {
    public enum Kind {
        /** Fails the request if the key exists. */
        INSERT,
        /** Inserts or replaces the whole row. */
        UPSERT,
        /** Inserts unless the key exists. */
        INSERT_IGNORE,
        /** Replaces the whole row; fails the request if the key does not exist. */
        REPLACE,
        /** Sets some columns; fails the request if the key does not exist. */
        PATCH,
        /** Removes the row; fails the request if the key does not exist. */
        DELETE
    }
}
