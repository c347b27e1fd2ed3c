package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes one snapshot and publishes it atomically: every file goes into a temporary directory, is fsynced, the
 * manifest goes last, and one rename makes the whole directory visible. Either a complete, durable
 * {@code snap-<lsn>} directory exists afterwards or nothing does.
 */
public final class SnapshotWriter {
    private static final SecureRandom NONCES = new SecureRandom();
    private static final String PARQUET_OPTIONS =
            "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2";

    private SnapshotWriter() {
    }

    /**
     * Opens the read transaction a snapshot is taken in, on {@code tx}, a connection of its own. Call it while the
     * engine's writer stands at the snapshot's LSN; once it returns the writer may continue. DuckDB fixes a
     * transaction's view when a statement first touches the database, not at {@code BEGIN} (a bare {@code SELECT 1}
     * does not either), so a catalog query follows the {@code BEGIN}. The caller ends the transaction afterwards.
     */
    public static void beginReadTransaction(Connection tx) throws SQLException {
        try (Statement s = tx.createStatement()) {
            s.execute("BEGIN TRANSACTION READ ONLY");
            try (ResultSet pin = s.executeQuery("SELECT count(*) FROM duckdb_tables()")) {
                pin.next();
            }
        }
    }

    /**
     * Writes the tables as {@code tx} sees them as the snapshot at {@code lsn} under {@code snapshotsDir}. {@code tx}
     * must already be in a read transaction fixed at {@code lsn} (see {@link #beginReadTransaction}); the writer
     * neither commits nor rolls it back. On any failure the partial snapshot is deleted and a
     * {@link SnapshotException} is thrown: nothing is published, so no WAL may be deleted on its account.
     */
    public static SnapshotInfo write(Path snapshotsDir, Connection tx, long lsn, List<TableSchema> tables) {
        SnapshotFormat.checkLsn(lsn);
        checkDistinct(tables);
        Path target = snapshotsDir.resolve(SnapshotFormat.snapshotDirName(lsn));
        Path temp = null;
        boolean published = false;
        try {
            ensureDirectory(snapshotsDir);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new SnapshotException(target, "a snapshot at LSN " + lsn + " already exists");
            }
            temp = snapshotsDir.resolve(SnapshotFormat.tempDirName(lsn, NONCES.nextInt()));
            Files.createDirectory(temp);
            List<Manifest.Entry> entries = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                entries.add(writeTable(tx, temp, i, tables.get(i)));
            }
            // Microseconds are plenty for a human-facing time and keep the manifest short.
            Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
            byte[] manifest = new Manifest(lsn, created, entries).encode();
            DiskFiles.writeDurably(temp.resolve(SnapshotFormat.MANIFEST), manifest);
            // The files' names must be durable before the rename publishes them, or a crash could leave a
            // published directory without them.
            DiskFiles.syncDirectory(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            published = true;
            DiskFiles.syncDirectory(snapshotsDir);
            return info(target, lsn, created, entries, manifest.length);
        } catch (IOException | SQLException | RuntimeException e) {
            SnapshotException failure = e instanceof SnapshotException se ? se
                    : new SnapshotException(published ? target : snapshotsDir,
                            "snapshot at LSN " + lsn + " failed: " + e.getMessage(), e);
            abandon(temp, published ? target : null, failure);
            throw failure;
        }
    }

    private static Manifest.Entry writeTable(Connection tx, Path dir, int position, TableSchema table)
            throws SQLException, IOException {
        Path file = dir.resolve(SnapshotFormat.tableFileName(position));
        // Naming the columns (rather than SELECT *) writes them in schema order and fails if table and schema differ.
        String columns = table.columns().stream().map(c -> Names.quote(c.name())).collect(Collectors.joining(", "));
        // Snapshots run beside live writers, so their CPU counts. zstd level 1 instead of the default 3 costs less CPU;
        // PARQUET_VERSION V2 lets DuckDB use delta encodings, which made a 10M-row file of dense keys 3.7 MB
        // instead of 14 MB. Together: ~1.0-1.2 s of CPU instead of ~1.25-1.45 s over 10M rows
        // (bench/tools/DuckCosts.java), and read back as fast.
        String sql = "COPY (SELECT " + columns + " FROM main." + Names.quote(table.name()) + ") TO "
                + sqlString(file) + " (" + PARQUET_OPTIONS + ")";
        long rows;
        // A statement is closed by any error it raises, so each COPY gets its own.
        try (Statement s = tx.createStatement()) {
            rows = s.executeLargeUpdate(sql);
        }
        DiskFiles.Sum sum = DiskFiles.syncAndSum(file);
        return new Manifest.Entry(table, file.getFileName().toString(), sum.bytes(), sum.crc32c(), rows);
    }

    /** A path as an SQL string literal. The path is ours, never user text, but a quote in a parent dir is legal. */
    static String sqlString(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            DiskFiles.syncDirectory(parent);
        }
    }

    private static void checkDistinct(List<TableSchema> tables) {
        Set<String> seen = new HashSet<>();
        for (TableSchema t : tables) {
            if (!seen.add(Names.key(t.name()))) {
                throw new IllegalArgumentException("table '" + t.name() + "' is listed twice");
            }
        }
    }

    /**
     * Removes what a failed snapshot left. If the failure came after the rename (the final directory fsync), the
     * published directory goes too: the caller was told the snapshot failed and must not find it later.
     */
    private static void abandon(Path temp, Path published, SnapshotException failure) {
        for (Path dir : new Path[] {temp, published}) {
            if (dir == null) {
                continue;
            }
            try {
                DiskFiles.deleteTree(dir);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static SnapshotInfo info(Path dir, long lsn, Instant created, List<Manifest.Entry> entries,
            long manifestBytes) {
        Map<String, Long> rows = new LinkedHashMap<>();
        long total = manifestBytes;
        for (Manifest.Entry e : entries) {
            rows.put(e.schema().name(), e.rows());
            total += e.bytes();
        }
        return new SnapshotInfo(lsn, dir, created, total, rows);
    }
}
