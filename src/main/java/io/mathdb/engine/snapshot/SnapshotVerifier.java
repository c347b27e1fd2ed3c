package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a published snapshot's manifest and checks every file it names against the recorded length and CRC32C. */
final class SnapshotVerifier {
    private SnapshotVerifier() {
    }

    /** The manifest alone, checksummed and parsed, without reading the table files. */
    static Manifest readManifest(Path dir, long lsn) {
        Path file = dir.resolve(SnapshotFormat.MANIFEST);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptSnapshotException(file, "manifest is missing");
        } catch (IOException e) {
            throw new CorruptSnapshotException(file, "manifest cannot be read: " + e);
        }
        return Manifest.decode(file, bytes, lsn);
    }

    static SnapshotInfo info(Path dir, Manifest m) {
        Map<String, Long> rows = new LinkedHashMap<>();
        long total = 0;
        for (Manifest.Entry e : m.tables()) {
            rows.put(e.schema().name(), e.totalRows());
            total += e.totalBytes();
        }
        try {
            total += Files.size(dir.resolve(SnapshotFormat.MANIFEST));
        } catch (IOException e) {
            // Only a size for display; a manifest that vanished is caught by verification.
        }
        return new SnapshotInfo(m.lsn(), dir, m.created(), total, rows);
    }

    /** Verifies the whole snapshot, or throws a {@link CorruptSnapshotException} naming the first bad file. */
    static VerifiedSnapshot verify(Path dir, long lsn) {
        Manifest m = readManifest(dir, lsn);
        List<SnapshotTable> tables = new ArrayList<>();
        for (Manifest.Entry e : m.tables()) {
            Path file = dir.resolve(e.file());
            check(file, e.schema(), e.bytes(), e.crc32c());
            List<Path> appended = new ArrayList<>();
            for (Manifest.Part p : e.appended()) {
                appended.add(dir.resolve(p.file()));
                check(dir.resolve(p.file()), e.schema(), p.bytes(), p.crc32c());
            }
            tables.add(new SnapshotTable(e.schema(), file, e.bytes(), e.crc32c(), e.totalRows(), appended));
        }
        return new VerifiedSnapshot(info(dir, m), tables);
    }

    private static void check(Path file, TableSchema table, long bytes, long crc32c) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CorruptSnapshotException(file, "file of table '" + table.name()
                    + "' named by the manifest is missing");
        }
        DiskFiles.Sum sum;
        try {
            // Length first: it is free, and a short file is the likeliest damage after a crash.
            long size = Files.size(file);
            if (size != bytes) {
                throw new CorruptSnapshotException(file, "is " + size + " bytes; the manifest says " + bytes);
            }
            sum = DiskFiles.sum(file);
        } catch (IOException x) {
            throw new CorruptSnapshotException(file, "cannot be read: " + x);
        }
        if (sum.bytes() != bytes || sum.crc32c() != crc32c) {
            throw new CorruptSnapshotException(file, "CRC32C mismatch: the manifest says "
                    + SnapshotFormat.hex8(crc32c) + ", the file has " + SnapshotFormat.hex8(sum.crc32c()));
        }
    }
}
