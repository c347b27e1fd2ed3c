package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot that fails part-way publishes nothing and leaves nothing behind. */
class SnapshotWriteFailureTest {
    @TempDir
    Path dir;

    private List<String> names(Path p) throws Exception {
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void tableWhoseSelectFailsAfterAnotherWasWrittenLeavesNoSnapshotAndNoTemp() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema good = db.simpleTable("good", 100);
            // Known to the schema list but not to DuckDB: the second COPY fails after the first file exists.
            TableSchema missing = TableSchema.of("missing", Column.key("id", ColumnType.parse("Int64")));
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> db.snapshot(dir, 3, List.of(good, missing)));
            assertTrue(e.getMessage().contains("LSN 3"), e.getMessage());
            assertEquals(List.of(), names(dir));
        }
    }

    @Test
    void schemaThatDisagreesWithTheTableFailsRatherThanWritingWrongColumns() throws Exception {
        try (TestDb db = new TestDb()) {
            db.simpleTable("items", 1);
            TableSchema wrong = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("price", ColumnType.parse("Float64")));
            assertThrows(SnapshotException.class, () -> db.snapshot(dir, 1, List.of(wrong)));
            assertEquals(List.of(), names(dir));
        }
    }

    @Test
    void snapshotsDirUnderARegularFileFailsAndCreatesNothing() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "not a directory");
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 1);
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> db.snapshot(file.resolve("snapshots"), 1, List.of(items)));
            assertEquals(file.resolve("snapshots"), e.path());
        }
        assertEquals(List.of("plain-file"), names(dir));
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aSecondSnapshotAtTheSameLsnIsRefusedAndTheFirstIsKept() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 2);
            db.snapshot(dir, 8, List.of(items));
            db.exec("INSERT INTO items VALUES (3, 'three')");
            SnapshotException e = assertThrows(SnapshotException.class, () -> db.snapshot(dir, 8, List.of(items)));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
        assertEquals(List.of("snap-0000000000000008"), names(dir));
        assertEquals(2L, new SnapshotStore(dir).verify(8).info().rowCounts().get("items"));
    }

    @Test
    void sameTableListedTwiceIsRefusedBeforeAnyFileIsWritten() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 1);
            assertThrows(IllegalArgumentException.class, () -> db.snapshot(dir, 1, List.of(items, items)));
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void snapshotsDirWithAQuoteInItsPathStillWorks() throws Exception {
        Path odd = dir.resolve("it's here");
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 4);
            db.snapshot(odd, 2, List.of(items));
        }
        VerifiedSnapshot snap = new SnapshotStore(odd).newestValid().snapshot().orElseThrow();
        try (TestDb fresh = new TestDb()) {
            SnapshotLoader.load(snap, fresh.conn, fresh::create);
            assertEquals(4, fresh.count("items"));
        }
    }
}
