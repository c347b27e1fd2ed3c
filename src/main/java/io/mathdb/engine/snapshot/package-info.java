/**
 * Snapshots: the whole database at one LSN, as plain Parquet files plus a checksummed manifest, so that recovery
 * loads a snapshot and replays only the WAL after it, and old WAL segments can be deleted.
 *
 * <p>Taking one: hold the writer at LSN {@code L}, open a connection with {@code duplicate()}, call
 * {@link io.mathdb.engine.snapshot.SnapshotWriter#beginReadTransaction}, release the writer, then
 * {@link io.mathdb.engine.snapshot.SnapshotWriter#write} and end the transaction (one {@code SnapshotWriter} kept
 * across snapshots writes tables that only had rows appended incrementally). After it returns,
 * {@link io.mathdb.engine.snapshot.SnapshotStore#retain} deletes old snapshots and says which WAL is no longer needed.
 *
 * <p>Recovering: {@link io.mathdb.engine.snapshot.SnapshotStore#cleanTemp}, then
 * {@link io.mathdb.engine.snapshot.SnapshotStore#newestValid}, then
 * {@link io.mathdb.engine.snapshot.SnapshotLoader#load}, then replay the WAL from {@code L + 1}. Skipped snapshots come
 * with reasons naming the file; if snapshots exist but none verifies, refuse to start.
 *
 * <p>The byte format is in {@code ../STORAGE.md}, section "Snapshots".
 */
package io.mathdb.engine.snapshot;
