package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRoundTripTest {
    @TempDir
    Path dir;

    private static final TableSchema ALL_TYPES = TableSchema.of("all_types",
            Column.key("id", ColumnType.parse("Int64")),
            Column.of("i8", ColumnType.parse("Int8")), Column.of("i16", ColumnType.parse("Int16")),
            Column.of("i32", ColumnType.parse("Int32")), Column.of("i64", ColumnType.parse("Int64")),
            Column.of("u8", ColumnType.parse("UInt8")), Column.of("u16", ColumnType.parse("UInt16")),
            Column.of("u32", ColumnType.parse("UInt32")), Column.of("u64", ColumnType.parse("UInt64")),
            Column.of("f32", ColumnType.parse("Float32")), Column.of("f64", ColumnType.parse("Float64")),
            Column.of("flag", ColumnType.parse("Boolean")), Column.of("text", ColumnType.parse("Utf8")),
            Column.of("day", ColumnType.parse("Date")), Column.of("at", ColumnType.parse("Datetime")),
            Column.of("big", ColumnType.parse("Decimal(38,10)")), Column.of("money", ColumnType.parse("Decimal(10,2)")),
            Column.required("blob", ColumnType.parse("Binary")));

    private static final String ORDERED = "SELECT * FROM all_types ORDER BY id";

    private static void fill(TestDb db) throws Exception {
        db.create(ALL_TYPES);
        db.exec("INSERT INTO all_types VALUES "
                + "(1, 127, 32767, 2147483647, 9223372036854775807, 255, 65535, 4294967295, 18446744073709551615,"
                + " 3.4028235e38, 1.7976931348623157e308, true, 'héllo ☃ \"q''s\"', DATE '2024-02-29',"
                + " TIMESTAMP '2024-01-31 12:34:56.123456', 1234567890123456789012345678.0123456789, 99999999.99,"
                + " '\\x00\\xFF\\x80'::BLOB),"
                + "(2, -128, -32768, -2147483648, -9223372036854775808, 0, 0, 0, 0, -1.5, -0.1, false, '',"
                + " DATE '0001-01-01', TIMESTAMP '1969-12-31 23:59:59.000001', -0.0000000001, -99999999.99, ''::BLOB),"
                + "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " 'x'::BLOB)");
    }

    @Test
    void everyTypeRoundTripsIntoAFreshDatabase() throws Exception {
        List<List<String>> expected;
        try (TestDb source = new TestDb()) {
            fill(source);
            expected = source.rows(ORDERED);
            SnapshotInfo info = source.snapshot(dir, 42, List.of(ALL_TYPES));
            assertEquals(Map.of("all_types", 3L), info.rowCounts());
        }
        assertEquals("18446744073709551615", expected.get(0).get(8));
        assertEquals("2024-01-31 12:34:56.123456", expected.get(0).get(14));

        VerifiedSnapshot snap = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
        assertEquals(42, snap.lsn());
        try (TestDb target = new TestDb()) {
            SnapshotLoader.load(snap, target.conn, target::create);
            assertEquals(expected, target.rows(ORDERED));
            assertEquals(List.of(List.of("BIGINT", "UBIGINT", "DECIMAL(38,10)", "TIMESTAMP", "BLOB")),
                    target.rows("SELECT typeof(id), typeof(u64), typeof(big), typeof(\"at\"), typeof(blob) FROM all_types"
                            + " LIMIT 1"));
        }
    }

    @Test
    void snapshotFilesArePlainParquetAnyDuckDbReads() throws Exception {
        List<List<String>> expected;
        try (TestDb source = new TestDb()) {
            fill(source);
            expected = source.rows(ORDERED);
            source.snapshot(dir, 7, List.of(ALL_TYPES));
        }
        Path file = dir.resolve("snap-0000000000000007").resolve("t000.parquet");
        try (TestDb fresh = new TestDb()) {
            assertEquals(expected, fresh.rows("SELECT * FROM read_parquet(" + SnapshotWriter.sqlString(file)
                    + ") ORDER BY id"));
        }
    }

    @Test
    void snapshotFilesAreZstdWithDeltaEncodedKeys() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema t = db.simpleTable("items", 1000);
            db.snapshot(dir, 3, List.of(t));
            String file = SnapshotWriter.sqlString(dir.resolve("snap-0000000000000003").resolve("t000.parquet"));
            assertEquals(List.of(List.of("ZSTD")), db.rows("SELECT DISTINCT compression FROM parquet_metadata("
                    + file + ")"));
            // DuckDB writes delta encodings only when asked for PARQUET_VERSION V2; dense keys then shrink to little.
            assertTrue(encodings(db, file, "id").contains("DELTA_BINARY_PACKED"));
        }
    }

    @Test
    void aSnapshotWrittenWithFormatOnePagesStillLoads() throws Exception {
        List<List<String>> expected;
        try (TestDb source = new TestDb()) {
            fill(source);
            expected = source.rows(ORDERED);
            source.snapshot(dir, 9, List.of(ALL_TYPES));
        }
        VerifiedSnapshot written = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
        SnapshotTable table = written.tables().get(0);
        Path formatOne = dir.resolve("format1.parquet");
        try (TestDb db = new TestDb()) {
            db.exec("COPY (SELECT * FROM read_parquet(" + SnapshotWriter.sqlString(table.file()) + ")) TO "
                    + SnapshotWriter.sqlString(formatOne) + " (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V1)");
            assertFalse(encodings(db, SnapshotWriter.sqlString(formatOne), "id").contains("DELTA"));
        }
        DiskFiles.Sum sum = DiskFiles.syncAndSum(formatOne);
        VerifiedSnapshot old = new VerifiedSnapshot(written.info(), List.of(new SnapshotTable(table.schema(),
                formatOne, sum.bytes(), sum.crc32c(), table.rows())));
        try (TestDb target = new TestDb()) {
            SnapshotLoader.load(old, target.conn, target::create);
            assertEquals(expected, target.rows(ORDERED));
        }
    }

    @Test
    void layoutNamesFilesByPositionAndTheDirectoryByLsnInHex() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema a = db.simpleTable("alpha", 3);
            TableSchema b = db.simpleTable("beta", 0);
            SnapshotInfo info = db.snapshot(dir, 0x4d2, List.of(a, b));
            Path snap = dir.resolve("snap-00000000000004d2");
            assertEquals(snap, info.dir());
            assertEquals(Map.of("alpha", 3L, "beta", 0L), info.rowCounts());
            try (Stream<Path> files = Files.list(snap)) {
                assertEquals(List.of("manifest.json", "t000.parquet", "t001.parquet"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(snap), files.toList());
            }
            long total = Files.size(snap.resolve("manifest.json")) + Files.size(snap.resolve("t000.parquet"))
                    + Files.size(snap.resolve("t001.parquet"));
            assertEquals(total, info.totalBytes());
            String manifest = Files.readString(snap.resolve("manifest.json"));
            assertTrue(manifest.startsWith("{\"crc32c\":\""), manifest);
            assertTrue(manifest.contains("\"lsn\":1234"), manifest);
            assertTrue(manifest.contains("{\"name\":\"id\",\"type\":\"Int64\",\"primaryKey\":true,\"nullable\":false}"),
                    manifest);
            assertFalse(Files.exists(snap.resolve("alpha.parquet")));
        }
    }

    @Test
    void anEmptyDatabaseSnapshotsAndLoads() throws Exception {
        try (TestDb db = new TestDb()) {
            db.snapshot(dir, 0, List.of());
        }
        VerifiedSnapshot snap = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
        assertEquals(0, snap.lsn());
        assertEquals(List.of(), snap.tables());
    }

    @Test
    void loadRefusesAFileWhoseRowCountDiffersFromTheManifest() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema t = db.simpleTable("items", 5);
            db.snapshot(dir, 1, List.of(t));
        }
        VerifiedSnapshot snap = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
        SnapshotTable only = snap.tables().get(0);
        VerifiedSnapshot lying = new VerifiedSnapshot(snap.info(), List.of(new SnapshotTable(only.schema(),
                only.file(), only.bytes(), only.crc32c(), 6)));
        try (TestDb target = new TestDb()) {
            CorruptSnapshotException e = org.junit.jupiter.api.Assertions.assertThrows(CorruptSnapshotException.class,
                    () -> SnapshotLoader.load(lying, target.conn, target::create));
            assertEquals(only.file(), e.file());
        }
    }

    /** A loader whose tables get their key index after the rows, as recovery's do, learns of a repeated key then. */
    @Test
    void loadRefusesATableWhoseFilesRepeatAKeyWhenItsIndexIsBuiltAfterTheRows() throws Exception {
        TableSchema items = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
                Column.of("label", ColumnType.parse("Utf8")));
        try (TestDb db = new TestDb()) {
            db.exec("CREATE TABLE items (id BIGINT NOT NULL, label VARCHAR)"); // no key: a writer that lost it
            db.exec("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (1, 'again')");
            db.snapshot(dir, 1, List.of(items));
        }
        VerifiedSnapshot snap = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
        try (TestDb target = new TestDb()) {
            TableCreator indexAfterRows = new TableCreator() {
                @Override
                public void create(TableSchema schema) throws java.sql.SQLException {
                    target.exec("CREATE TABLE items (id BIGINT NOT NULL, label VARCHAR)");
                }

                @Override
                public void loaded(TableSchema schema) throws java.sql.SQLException {
                    target.exec("CREATE UNIQUE INDEX items_key ON items (id)");
                }
            };
            SnapshotException e = org.junit.jupiter.api.Assertions.assertThrows(SnapshotException.class,
                    () -> SnapshotLoader.load(snap, target.conn, indexAfterRows));
            assertEquals(snap.tables().get(0).file(), e.path());
            assertTrue(e.getMessage().contains("cannot index table 'items'"), e.getMessage());
        }
    }

    private static String encodings(TestDb db, String file, String column) throws Exception {
        return db.rows("SELECT encodings FROM parquet_metadata(" + file + ") WHERE path_in_schema = '" + column + "'")
                .get(0).get(0);
    }
}
