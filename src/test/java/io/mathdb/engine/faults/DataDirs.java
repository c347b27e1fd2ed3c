package io.mathdb.engine.faults;

import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.wal.WalFixtures;
import io.mathdb.engine.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real data directories for the fault tests of this package: a known table and rows, the segments of its log, and
 * byte-for-byte copies of a directory as a crash left it.
 */
final class DataDirs {
    /** No snapshot unless a test asks for one; small segments, so a few hundred rows span several. */
    static final DatabaseOptions LOG_ONLY = DatabaseOptions.DEFAULTS
            .withSnapshots(Duration.ZERO, Long.MAX_VALUE, 2, false)
            .withSegmentBytes(4096)
            .withReadConnections(1);

    static final TableSchema ROWS = TableSchema.of("rows", Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")), Column.of("n", ColumnType.parse("Int64")));

    private DataDirs() {
    }

    /** The row with key {@code id}, as the engine gives it back. */
    static Map<String, Object> row(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", "row-" + id);
        row.put("n", id * id);
        return row;
    }

    static Path walDir(Path dataDir) {
        return dataDir.resolve("wal");
    }

    /** The segment files of the log, in LSN order. */
    static List<Path> segments(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(walDir(dataDir))) {
            return files.filter(p -> WalFormat.parseSegmentFileName(p.getFileName().toString()) > 0).sorted().toList();
        }
    }

    /** The newest segment that holds a record: the writer leaves a header-only segment behind at close. */
    static Path newestSegmentWithRecords(Path dataDir) throws IOException {
        List<Path> all = segments(dataDir);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (Files.size(all.get(i)) > WalFormat.SEGMENT_HEADER_BYTES) {
                return all.get(i);
            }
        }
        throw new IllegalStateException("no segment in " + dataDir + " holds a record");
    }

    /** Byte offsets of the records in a segment, followed by the offset where the last one ends. */
    static List<Integer> recordOffsets(byte[] segment) {
        return WalFixtures.recordOffsets(segment);
    }

    /** A byte-for-byte copy of a directory tree, as another machine would find the disk. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every regular file under {@code dir} but the lock, by relative path, with its bytes. */
    static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (!name.equals("LOCK")) {
                    out.put(name, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }
}
