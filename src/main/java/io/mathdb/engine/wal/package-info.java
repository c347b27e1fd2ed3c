/**
 * The MathDB write-ahead log: every mutation is logged here before it is applied and acknowledged.
 * The byte format and recovery rules are specified in {@code io/mathdb/engine/STORAGE.md}.
 *
 * <h2>Start-up</h2>
 * <pre>{@code
 * WalReplay.Result r = WalReplay.replay(walDir, snapshotLsn, batch -> engine.apply(batch));
 * WalWriter writer = WalWriter.open(walDir, r.nextLsn(), WalOptions.defaults());
 * WalSyncer syncer = new WalSyncer(writer, Duration.ofSeconds(3));
 * }</pre>
 * Replay cuts a torn tail off the newest segment (reported in the result) and throws
 * {@link io.mathdb.engine.wal.CorruptWalException} for anything else it cannot read: MathDB never starts
 * over a log it could not read.
 *
 * <h2>Writing</h2>
 * The engine's single writer thread calls {@code syncer.throttle()} and then
 * {@code writer.append(type, payloads)}; when append returns the records are with the OS and the write may be
 * acknowledged. A request asking for sync durability waits on {@code syncer.awaitDurable(lsn)}; concurrent
 * waiters share one fsync. The syncer also fsyncs on its flush timer; {@code syncer.flush()} fsyncs now.
 *
 * <h2>Failure</h2>
 * The first failed write or fsync is latched: every later append, sync and durability wait fails with
 * {@link io.mathdb.engine.wal.WalFailedException}, and the log file is not touched again until restart.
 *
 * <h2>Retention</h2>
 * Once a snapshot covering LSN {@code s} and its manifest are durable,
 * {@code writer.deleteSegmentsBelow(s + 1)} removes the segments replay will no longer read.
 */
package io.mathdb.engine.wal;
