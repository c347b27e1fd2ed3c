package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Appends groups of records to the newest segment, rolls to a new segment, and fsyncs.
 *
 * <p>Threads: {@link #append} is called from the engine's single writer thread only. {@link #sync},
 * {@link #deleteSegmentsBelow} and the read-only accessors may be called from any thread; a sync forces the
 * segment while appends go on writing behind it.
 *
 * <p>Open it only after {@link WalReplay} has run: it trusts {@code nextLsn} and reports everything before it
 * as durable, which recovery makes true by fsyncing what it read.
 */
public final class WalWriter implements AutoCloseable {

    private static final long NOT_PENDING = Long.MIN_VALUE;

    private final Path dir;
    private final long segmentBytes;
    private final WalFiles files;

    private final GroupEncoder encoder = new GroupEncoder(); // writer thread only

    // Held by sync, roll and delete; never by a plain append, so a slow fsync does not block writes.
    private final Object syncLock = new Object();
    private volatile ActiveSegment active;
    private volatile List<SegmentInfo> olderSegments;
    private boolean directoryDirty;
    private volatile boolean closed;

    // Guards lastLsn, durableLsn and pendingSinceNanos together so the lag agrees with the LSNs.
    private final Object lsnLock = new Object();
    private volatile long lastLsn;
    private volatile long durableLsn;
    private long pendingSinceNanos = NOT_PENDING;
    private volatile WalFailedException failure;

    private volatile long bytesAppended;
    private volatile long recordsAppended;
    private volatile long syncs;
    private volatile long syncNanos;

    private WalWriter(Path dir, long nextLsn, WalOptions options, List<SegmentInfo> older) {
        this.dir = dir;
        this.segmentBytes = options.segmentBytes();
        this.files = options.files();
        this.olderSegments = List.copyOf(older);
        this.lastLsn = nextLsn - 1;
        this.durableLsn = nextLsn - 1;
    }

    /**
     * Opens the log for appending at {@code nextLsn} in a fresh segment named by it. Refuses if a segment
     * already holds records at or after {@code nextLsn}: that means recovery was skipped.
     */
    public static WalWriter open(Path walDir, long nextLsn, WalOptions options) throws IOException {
        if (nextLsn < 1) {
            throw new IllegalArgumentException("next LSN must be >= 1: " + nextLsn);
        }
        if (!Files.isDirectory(walDir)) {
            Files.createDirectories(walDir);
            if (walDir.toAbsolutePath().getParent() != null) {
                options.files().syncDirectory(walDir.toAbsolutePath().getParent());
            }
        }
        List<SegmentInfo> older = new ArrayList<>();
        for (Path file : options.files().list(walDir)) {
            long first = WalFormat.parseSegmentFileName(file.getFileName().toString());
            long size = first < 0 ? 0 : Files.size(file);
            if (first > nextLsn || (first == nextLsn && size > WalFormat.SEGMENT_HEADER_BYTES)) {
                throw new IllegalStateException("WAL segment " + file + " holds LSNs at or after " + nextLsn
                        + "; replay the log and open the writer after its last LSN");
            }
            if (first > 0 && first < nextLsn) {
                older.add(new SegmentInfo(file.getFileName().toString(), first, size));
            }
        }
        older.sort(Comparator.comparingLong(SegmentInfo::firstLsn));
        WalWriter writer = new WalWriter(walDir, nextLsn, options, older);
        writer.startSegment(nextLsn);
        return writer;
    }

    /**
     * Gives the payloads consecutive LSNs and writes them all with one write (looping only on short writes).
     * Returns the LSN of the last one once the OS has the bytes; they are durable only after a {@link #sync}.
     *
     * @throws WalFailedException if this or any earlier write or fsync failed
     */
    public long append(byte type, List<byte[]> payloads) {
        checkWritable();
        long first = lastLsn + 1;
        ByteBuffer out = encoder.encode(first, type, payloads);
        long groupBytes = out.remaining();
        // Roll before writing, so that a group never spans two segments.
        if (active.bytes() > WalFormat.SEGMENT_HEADER_BYTES && active.bytes() + groupBytes > segmentBytes) {
            roll();
        }
        long offset = active.bytes();
        try {
            active.write(out);
        } catch (IOException e) {
            throw latch(active.path(), offset + out.position(), "write", e);
        }
        synchronized (lsnLock) {
            lastLsn = first + payloads.size() - 1;
            if (pendingSinceNanos == NOT_PENDING) {
                pendingSinceNanos = System.nanoTime();
            }
        }
        bytesAppended += groupBytes;
        recordsAppended += payloads.size();
        // A sync may have failed while we wrote; the caller must not acknowledge after a failure.
        throwIfFailed();
        return first + payloads.size() - 1;
    }

    /**
     * Forces the newest segment (and the directory, if a segment was created or deleted since the last
     * sync), then advances {@link #durableLsn()} to the last LSN written before the force began. Segments
     * rolled away from were forced at the roll. A failed force is never retried.
     *
     * @throws WalFailedException if this or any earlier write or fsync failed
     */
    public void sync() {
        synchronized (syncLock) {
            throwIfFailed();
            if (closed) {
                return;
            }
            long started = System.nanoTime();
            long target = lastLsn;
            boolean directory = directoryDirty;
            if (target == durableLsn && !directory) {
                return;
            }
            try {
                active.force();
                if (directory) {
                    files.syncDirectory(dir);
                    directoryDirty = false;
                }
            } catch (IOException e) {
                throw latch(active.path(), active.bytes(), "fsync", e);
            }
            markDurable(target, started);
        }
    }

    /**
     * Deletes the older segments whose every record has an LSN below {@code lsn} (those whose successor
     * starts at or below {@code lsn}); never the newest. Call only once a durable snapshot covers them.
     *
     * @return the number of segments deleted
     */
    public int deleteSegmentsBelow(long lsn) throws IOException {
        synchronized (syncLock) {
            throwIfFailed();
            List<SegmentInfo> older = olderSegments;
            int deleted = 0;
            try {
                while (deleted < older.size()) {
                    long successorFirst = deleted + 1 < older.size()
                            ? older.get(deleted + 1).firstLsn() : active.firstLsn();
                    if (successorFirst > lsn) {
                        break;
                    }
                    files.delete(dir.resolve(older.get(deleted).fileName()));
                    deleted++;
                }
            } finally {
                olderSegments = List.copyOf(older.subList(deleted, older.size()));
            }
            if (deleted > 0) {
                // fsync the directory: otherwise a crash can bring deleted segments back.
                try {
                    files.syncDirectory(dir);
                } catch (IOException e) {
                    throw latch(dir, 0, "directory fsync after delete", e);
                }
            }
            return deleted;
        }
    }

    /** Syncs, then closes the segment. A writer that had already failed closes without throwing. */
    @Override
    public void close() {
        boolean failedBefore = failure != null;
        try {
            if (!failedBefore) {
                sync();
            }
        } finally {
            synchronized (syncLock) {
                closed = true;
                active.close();
            }
        }
    }

    public long lastLsn() {
        return lastLsn;
    }

    public long durableLsn() {
        return durableLsn;
    }

    /** How long the oldest write not yet covered by an fsync has waited (monotonic clock); 0 if none. */
    public long lagNanos() {
        synchronized (lsnLock) {
            return pendingSinceNanos == NOT_PENDING ? 0 : Math.max(0, System.nanoTime() - pendingSinceNanos);
        }
    }

    /** The latched failure, if a write or fsync has failed. */
    public Optional<WalFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    public List<SegmentInfo> segments() {
        synchronized (syncLock) {
            List<SegmentInfo> all = new ArrayList<>(olderSegments);
            all.add(active.info());
            return all;
        }
    }

    public int segmentCount() {
        return segments().size();
    }

    public long totalBytes() {
        return segments().stream().mapToLong(SegmentInfo::bytes).sum();
    }

    public WalStats stats() {
        return new WalStats(syncs, syncNanos, bytesAppended, recordsAppended);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Forces the segment being left (and the directory if it is new) before the next one exists. So every
     * segment but the newest is complete on disk, and recovery may call any damage in an older one corruption.
     */
    private void roll() {
        synchronized (syncLock) {
            throwIfFailed();
            long started = System.nanoTime();
            long target = lastLsn;
            try {
                active.force();
                if (directoryDirty) {
                    files.syncDirectory(dir);
                    directoryDirty = false;
                }
            } catch (IOException e) {
                throw latch(active.path(), active.bytes(), "fsync before segment roll", e);
            }
            markDurable(target, started);
            active.close();
            List<SegmentInfo> older = new ArrayList<>(olderSegments);
            older.add(active.info());
            olderSegments = List.copyOf(older);
            startSegment(target + 1);
        }
    }

    private void startSegment(long firstLsn) {
        synchronized (syncLock) {
            try {
                active = ActiveSegment.create(files, dir, firstLsn);
            } catch (IOException e) {
                throw latch(dir.resolve(WalFormat.segmentFileName(firstLsn)), 0, "segment create", e);
            }
            // sync() fsyncs the directory before it reports any LSN in the new segment durable.
            directoryDirty = true;
        }
    }

    private void markDurable(long target, long syncStartedNanos) {
        synchronized (lsnLock) {
            if (target > durableLsn) {
                durableLsn = target;
            }
            // Writes that finished after the sync began are no older than its start.
            pendingSinceNanos = lastLsn > target ? syncStartedNanos : NOT_PENDING;
        }
        syncs++;
        syncNanos += System.nanoTime() - syncStartedNanos;
    }

    private WalFailedException latch(Path file, long offset, String operation, IOException cause) {
        synchronized (lsnLock) {
            if (failure == null) {
                failure = new WalFailedException(file, offset, operation, cause);
            }
            return failure;
        }
    }

    private void checkWritable() {
        throwIfFailed();
        if (closed) {
            throw new IllegalStateException("WAL writer for " + dir + " is closed");
        }
    }

    private void throwIfFailed() {
        WalFailedException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }
}
