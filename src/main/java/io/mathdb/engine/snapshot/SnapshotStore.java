package io.mathdb.engine.snapshot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The snapshots directory: lists published snapshots, finds the newest one that verifies, removes half-written ones
 * and old ones. Ordering is always by the LSN in the directory name. Not thread-safe with itself or with a running
 * {@link SnapshotWriter}: the engine calls {@link #cleanTemp} at start-up and {@link #retain} after each snapshot,
 * from the one thread that takes snapshots.
 */
public final class SnapshotStore {
    private final Path dir;
    /**
     * LSNs of snapshots this store verified, or that this process wrote (their files were summed as they were
     * written): {@link #retain} does not read them again. Re-reading every kept snapshot after each new one cost I/O
     * in proportion to the database, however small the new snapshot; damage after that is found at the next start.
     */
    private final Set<Long> verified = new HashSet<>();
    private int copies;

    public SnapshotStore(Path snapshotsDir) {
        this.dir = snapshotsDir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Published snapshots whose manifest reads and checksums, newest first. Table files are not read: use
     * {@link #newestValid} before trusting one. Snapshots with a damaged manifest are left out here and reported
     * by {@link #newestValid}.
     */
    public List<SnapshotInfo> list() {
        List<SnapshotInfo> out = new ArrayList<>();
        for (Published p : published()) {
            try {
                out.add(SnapshotVerifier.info(p.dir(), SnapshotVerifier.readManifest(p.dir(), p.lsn())));
            } catch (CorruptSnapshotException e) {
                // Listed by newestValid with its reason.
            }
        }
        return out;
    }

    /**
     * Deletes every {@code tmp-*} entry: a snapshot whose writer crashed before its rename, never part of the
     * database. Returns how many were removed.
     */
    public int cleanTemp() {
        int removed = 0;
        for (Path p : entries()) {
            if (p.getFileName().toString().startsWith(SnapshotFormat.TEMP_PREFIX)) {
                try {
                    DiskFiles.deleteTree(p);
                } catch (IOException e) {
                    throw new SnapshotException(p, "cannot remove half-written snapshot: " + e, e);
                }
                removed++;
            }
        }
        if (removed > 0) {
            syncDir();
        }
        return removed;
    }

    /** The newest snapshot that fully verifies, and the newer ones skipped with their reasons. */
    public SnapshotSelection newestValid() {
        return newestValid(0);
    }

    /**
     * As {@link #newestValid()}, but snapshots below {@code minUsableLsn} are not even verified: the engine passes the
     * lowest LSN from which its WAL can still replay, so a fallback it could not complete is never chosen.
     */
    public SnapshotSelection newestValid(long minUsableLsn) {
        List<SkippedSnapshot> skipped = new ArrayList<>();
        for (Published p : published()) {
            if (p.lsn() < minUsableLsn) {
                skipped.add(new SkippedSnapshot(p.lsn(), p.dir(), p.dir() + ": LSN " + p.lsn()
                        + " is below " + minUsableLsn + ", the oldest LSN the WAL can replay from"));
                continue;
            }
            try {
                return new SnapshotSelection(Optional.of(SnapshotVerifier.verify(p.dir(), p.lsn())), skipped);
            } catch (CorruptSnapshotException e) {
                skipped.add(new SkippedSnapshot(p.lsn(), p.dir(), e.getMessage()));
            }
        }
        return new SnapshotSelection(Optional.empty(), skipped);
    }

    /** Verifies the snapshot at {@code lsn}, or throws a {@link CorruptSnapshotException} naming the bad file. */
    public VerifiedSnapshot verify(long lsn) {
        SnapshotFormat.checkLsn(lsn);
        return SnapshotVerifier.verify(dir.resolve(SnapshotFormat.snapshotDirName(lsn)), lsn);
    }

    /**
     * Keeps the newest {@code n} valid snapshots that share no file (snapshots written incrementally hard-link their
     * older files: those are one copy, which one damaged sector would take from both), and deletes every snapshot,
     * valid or not, older than the oldest one kept, and every valid one between them that shares a file with a newer
     * one kept (it adds no copy). Damaged snapshots newer than the oldest kept are left for an operator to look at;
     * they age out the same way. Returns the LSN of the oldest snapshot kept: WAL segments whose records all lie at or
     * below it are no longer needed. Empty when no snapshot verifies, in which case nothing is deleted and all WAL
     * must be kept. {@link #copies} tells how many it kept.
     */
    public OptionalLong retain(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retain at least one snapshot, not " + n);
        }
        List<Published> all = published();
        List<Published> doomed = new ArrayList<>();
        Set<Object> keptFiles = new HashSet<>();
        int valid = 0;
        int cut = -1;
        for (int i = 0; i < all.size() && valid < n; i++) {
            Published p = all.get(i);
            try {
                if (!verified.contains(p.lsn())) {
                    SnapshotVerifier.verify(p.dir(), p.lsn());
                    verified.add(p.lsn());
                }
                Set<Object> files = fileKeys(p.dir());
                if (Collections.disjoint(files, keptFiles)) {
                    keptFiles.addAll(files);
                    valid++;
                    cut = i;
                } else {
                    doomed.add(p);
                }
            } catch (CorruptSnapshotException e) {
                // Not counted toward n.
            }
        }
        copies = valid;
        if (cut < 0) {
            return OptionalLong.empty();
        }
        long oldestKept = all.get(cut).lsn();
        doomed.removeIf(p -> p.lsn() < oldestKept); // all of those are listed next
        doomed.addAll(all.subList(cut + 1, all.size()));
        for (Published p : doomed) {
            verified.remove(p.lsn());
            try {
                DiskFiles.deleteTree(p.dir());
            } catch (IOException e) {
                throw new SnapshotException(p.dir(), "cannot delete old snapshot: " + e, e);
            }
        }
        if (!doomed.isEmpty()) {
            syncDir();
        }
        return OptionalLong.of(all.get(cut).lsn());
    }

    /** How many snapshots sharing no file the last {@link #retain} kept (0 before the first). */
    public int copies() {
        return copies;
    }

    /** What identifies each data file of a snapshot on its file system (a hard link has its target's). */
    private static Set<Object> fileKeys(Path snapshot) {
        Set<Object> keys = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(snapshot, "*.parquet")) {
            for (Path f : files) {
                Object key = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                keys.add(key != null ? key : f); // a file system without keys: every file its own
            }
        } catch (IOException e) {
            throw new CorruptSnapshotException(snapshot, "cannot list its files: " + e);
        }
        return keys;
    }

    /** Takes a snapshot this process has just published as verified: {@link SnapshotWriter} summed its files. */
    public void written(SnapshotInfo snapshot) {
        verified.add(snapshot.lsn());
    }

    private record Published(long lsn, Path dir) {
    }

    private List<Published> published() {
        List<Published> out = new ArrayList<>();
        for (Path p : entries()) {
            OptionalLong lsn = SnapshotFormat.lsnOf(p.getFileName().toString());
            if (lsn.isPresent() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new Published(lsn.getAsLong(), p));
            }
        }
        out.sort(Comparator.comparingLong(Published::lsn).reversed());
        return out;
    }

    private List<Path> entries() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            // No snapshot has been taken yet.
        } catch (IOException e) {
            throw new SnapshotException(dir, "cannot list snapshots: " + e, e);
        }
        return out;
    }

    private void syncDir() {
        try {
            DiskFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new SnapshotException(dir, "cannot fsync the snapshots directory: " + e, e);
        }
    }
}
