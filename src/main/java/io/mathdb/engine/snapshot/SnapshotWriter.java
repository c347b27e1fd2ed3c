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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes snapshots and publishes each atomically: every file goes into a temporary directory, is fsynced, the
 * manifest goes last, and one rename makes the whole directory visible. Either a complete, durable
 * {@code snap-<lsn>} directory exists afterwards or nothing does.
 *
 * <p>A writer remembers what its last snapshot holds of each table. A table that only had rows appended since then
 * is written incrementally: its files are hard-linked from that snapshot and only the new rows are written, as
 * DuckDB's row ids at or above the last snapshot's end (measured on 10M rows: a whole table ~1.1-1.5 s, 10k appended
 * rows ~10 ms). Up to {@link #MAX_APPENDED_FILES} files of appended rows accumulate; the next increment writes every
 * row appended since the table's first file as one; once those rows reach half the first file's, the table is
 * written whole again. Each snapshot directory stays complete on its own: deleting one never touches another's files.
 */
public final class SnapshotWriter {
    private static final Logger LOG = Logger.getLogger(SnapshotWriter.class.getName());
    private static final SecureRandom NONCES = new SecureRandom();
    private static final String PARQUET_OPTIONS =
            "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2";
    static final int MAX_APPENDED_FILES = 8;

    /**
     * What a published snapshot holds of a table: its entry there, and DuckDB's row-id end when its first file was
     * written and when the snapshot was.
     */
    private record Chain(TableSchema schema, Path dir, Manifest.Entry entry, long firstRowEnd, long rowEnd) {
    }

    private record Written(Manifest.Entry entry, Chain chain) {
    }

    /** The last published snapshot's tables, by table key. Used by one snapshot at a time. */
    private Map<String, Chain> chains = Map.of();

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
        return new SnapshotWriter().write(snapshotsDir, tx, lsn, tables, Set.of());
    }

    /**
     * As {@link #write(Path, Connection, long, List)}, but tables named in {@code appendOnly} (by
     * {@link Names#key}) are written incrementally if this writer's last snapshot holds them: the caller vouches that
     * since that snapshot's transaction they only had rows appended (no update, delete or re-creation).
     */
    public SnapshotInfo write(Path snapshotsDir, Connection tx, long lsn, List<TableSchema> tables,
                              Set<String> appendOnly) {
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
            Map<String, Chain> next = new HashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                TableSchema table = tables.get(i);
                String key = Names.key(table.name());
                Chain previous = appendOnly.contains(key) ? chains.get(key) : null;
                Written written = writeTable(tx, temp, target, i, table, previous, lsn);
                entries.add(written.entry());
                next.put(key, written.chain());
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
            chains = next;
            return info(target, lsn, created, entries, manifest.length);
        } catch (IOException | SQLException | RuntimeException e) {
            SnapshotException failure = e instanceof SnapshotException se ? se
                    : new SnapshotException(published ? target : snapshotsDir,
                            "snapshot at LSN " + lsn + " failed: " + e.getMessage(), e);
            abandon(temp, published ? target : null, failure);
            throw failure;
        }
    }

    /** Writes one table into {@code dir}, the temporary directory that becomes {@code target}. */
    private static Written writeTable(Connection tx, Path dir, Path target, int position, TableSchema table,
                                      Chain previous, long lsn) throws SQLException, IOException {
        boolean extend = previous != null && previous.schema().equals(table);
        long rowEnd = rowEnd(tx, table, extend ? previous.rowEnd() : 0);
        if (extend && rowEnd - previous.firstRowEnd() <= previous.entry().rows() / 2) {
            try {
                Written written = increment(tx, dir, target, position, table, previous, rowEnd, lsn);
                if (written != null) {
                    return written;
                }
                LOG.warning("the files of table '" + table.name() + "' would not hold its rows; writing it whole");
            } catch (IOException e) {
                // A file system without hard links, or the last snapshot's files gone: write the table whole.
                LOG.log(Level.FINE, "cannot extend the snapshot of table '" + table.name() + "'; writing it whole", e);
            }
            clearTable(dir, position);
        }
        Path file = dir.resolve(SnapshotFormat.tableFileName(position));
        long rows = copy(tx, table, "", file);
        DiskFiles.Sum sum = DiskFiles.syncAndSum(file);
        Manifest.Entry entry = new Manifest.Entry(table, file.getFileName().toString(), sum.bytes(), sum.crc32c(), rows);
        return new Written(entry, new Chain(table, target, entry, rowEnd, rowEnd));
    }

    /**
     * DuckDB's row-id end of the table as {@code tx} sees it, given that no row at or above {@code atLeast} was ever
     * removed: only the row groups from there on are scanned (a whole 10M-row table takes ~15-70 ms).
     */
    private static long rowEnd(Connection tx, TableSchema table, long atLeast) throws SQLException {
        try (Statement s = tx.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(rowid) + 1, " + atLeast + ") FROM " + tableName(table)
                     + (atLeast > 0 ? " WHERE rowid >= " + atLeast : ""))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Links the table's files from its last snapshot and writes the rows appended since into one more file; null if
     * the files would not hold as many rows as the table (then nothing vouched for it: write it whole).
     */
    private static Written increment(Connection tx, Path dir, Path target, int position, TableSchema table,
                                     Chain previous, long rowEnd, long lsn) throws SQLException, IOException {
        Manifest.Entry last = previous.entry();
        String first = SnapshotFormat.tableFileName(position);
        Files.createLink(dir.resolve(first), previous.dir().resolve(last.file()));
        List<Manifest.Part> appended = new ArrayList<>();
        long from = previous.firstRowEnd(); // too many files: one file of every row since the first file
        if (last.appended().size() < MAX_APPENDED_FILES) {
            for (Manifest.Part p : last.appended()) {
                // The file keeps the LSN it was written at, under this snapshot's position for the table.
                String name = first.replace(".parquet", p.file().substring(p.file().indexOf('-')));
                Files.createLink(dir.resolve(name), previous.dir().resolve(p.file()));
                appended.add(new Manifest.Part(name, p.bytes(), p.crc32c(), p.rows()));
            }
            from = previous.rowEnd();
        }
        if (rowEnd > from) {
            Path file = dir.resolve(SnapshotFormat.appendedFileName(position, lsn));
            long rows = copy(tx, table, " WHERE rowid >= " + from, file);
            DiskFiles.Sum sum = DiskFiles.syncAndSum(file);
            appended.add(new Manifest.Part(file.getFileName().toString(), sum.bytes(), sum.crc32c(), rows));
        }
        Manifest.Entry entry = new Manifest.Entry(table, first, last.bytes(), last.crc32c(), last.rows(), appended);
        // A check on what the row ids promise: the files must hold as many rows as the table has.
        try (Statement s = tx.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + tableName(table))) {
            rs.next();
            if (rs.getLong(1) != entry.totalRows()) {
                return null;
            }
        }
        return new Written(entry, new Chain(table, target, entry, previous.firstRowEnd(), rowEnd));
    }

    /** Writes the table's rows matching {@code where} (empty: all) to {@code file}; returns how many. */
    private static long copy(Connection tx, TableSchema table, String where, Path file) throws SQLException {
        // Naming the columns (rather than SELECT *) writes them in schema order and fails if table and schema differ.
        String columns = table.columns().stream().map(c -> Names.quote(c.name())).collect(Collectors.joining(", "));
        // Snapshots run beside live writers, so their CPU counts. zstd level 1 instead of the default 3 costs less CPU;
        // PARQUET_VERSION V2 lets DuckDB use delta encodings, which made a 10M-row file of dense keys 3.7 MB
        // instead of 14 MB. Together: ~1.0-1.2 s of CPU instead of ~1.25-1.45 s over 10M rows
        // (bench/tools/DuckCosts.java), and read back as fast.
        String sql = "COPY (SELECT " + columns + " FROM " + tableName(table) + where + ") TO " + sqlString(file)
                + " (" + PARQUET_OPTIONS + ")";
        // A statement is closed by any error it raises, so each COPY gets its own.
        try (Statement s = tx.createStatement()) {
            return s.executeLargeUpdate(sql);
        }
    }

    private static String tableName(TableSchema table) {
        return "main." + Names.quote(table.name());
    }

    /** Deletes whatever an abandoned increment linked or wrote for the table at {@code position}. */
    private static void clearTable(Path dir, int position) throws IOException {
        String first = SnapshotFormat.tableFileName(position);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals(first) || SnapshotFormat.isAppendedFileName(name, position)) {
                    Files.delete(f);
                }
            }
        }
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
            rows.put(e.schema().name(), e.totalRows());
            total += e.totalBytes();
        }
        return new SnapshotInfo(lsn, dir, created, total, rows);
    }
}
