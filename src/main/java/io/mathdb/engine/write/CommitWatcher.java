package io.mathdb.engine.write;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Told, on the writer thread, how each commit changes the tables, so a copy of them kept outside DuckDB (the
 * point-read mirrors) changes at the same moment. Between {@link #beforeCommit} and the call that follows it the
 * store may already show the commit while the copy does not yet.
 */
public interface CommitWatcher {
    CommitWatcher NONE = new CommitWatcher() {
        @Override
        public void beforeCommit() {
        }

        @Override
        public void committed(List<Run> runs) {
        }

        @Override
        public void forget(String table) {
        }

        @Override
        public boolean holds(String table) {
            return false;
        }

        @Override
        public Set<Object> existing(String table, Collection<Object> keys) {
            throw new IllegalStateException("holds no table");
        }
    };

    /** A commit is about to start. */
    void beforeCommit();

    /** The commit of these runs, in order, is done; ends what {@link #beforeCommit} began. */
    void committed(List<Run> runs);

    /**
     * {@code table} (null: every table) is about to change in a way runs do not describe (a bulk import), has been
     * dropped, or a commit failed half-way: forget what is held of it. Ends a {@link #beforeCommit} if one is open.
     */
    void forget(String table);

    /** Whether the watcher holds every row of {@code table}, as of the last commit: it can then say which keys exist. */
    boolean holds(String table);

    /** Which of {@code keys} exist in {@code table}, which the watcher {@link #holds}. */
    Set<Object> existing(String table, Collection<Object> keys);
}
