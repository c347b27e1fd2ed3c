package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk imports of CSV, NDJSON and Parquet files: all rows or none, exact types, logged and replayed. */
class ImportTest {
    static final TableSchema ITEMS = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")), Column.of("qty", ColumnType.parse("Int8")),
            Column.of("price", ColumnType.parse("Decimal(10,2)")), Column.of("day", ColumnType.parse("Date")),
            Column.of("at", ColumnType.parse("Datetime")), Column.of("ok", ColumnType.parse("Boolean")),
            Column.of("blob", ColumnType.parse("Binary")), Column.required("score", ColumnType.parse("Float64")));

    @TempDir
    Path dir;

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    WriteResult csv(Database db, String body, OnConflict onConflict) {
        return db.importRows("items", text(body), ImportFormat.CSV, onConflict, Durability.DEFAULT);
    }

    @Test
    void csvRowsArriveWithExactTypes() {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS);
            WriteResult r = csv(db, """
                    id,name,qty,price,day,at,ok,blob,score
                    1,"a, quoted",-128,12345678.91,2024-01-31,2024-01-31T12:00:00.123456,true,AAE=,1.5
                    2,,127,,,,,,2
                    """, OnConflict.ERROR);
            assertThat(r.rows()).isEqualTo(2);
            Map<String, Object> one = db.table("items").get(1L).orElseThrow();
            assertThat(one).containsEntry("name", "a, quoted").containsEntry("qty", -128L)
                    .containsEntry("price", new BigDecimal("12345678.91")).containsEntry("day", LocalDate.of(2024, 1, 31))
                    .containsEntry("at", LocalDateTime.of(2024, 1, 31, 12, 0, 0, 123_456_000))
                    .containsEntry("ok", true).containsEntry("score", 1.5);
            assertThat((byte[]) one.get("blob")).containsExactly(0, 1);
            assertThat(db.table("items").get(2L).orElseThrow()).containsEntry("name", null).containsEntry("qty", 127L);
        }
    }

    @Test
    void badValueNamesLineColumnAndValueAndWritesNothing() {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS);
            assertRefused(() -> csv(db, "id,qty,score\n1,1,1\n2,1.7,1\n", OnConflict.ERROR), ErrorCode.TYPE_MISMATCH,
                    "line 3", "qty", "1.7");
            assertRefused(() -> csv(db, "id,qty,score\n1,300,1\n", OnConflict.ERROR), ErrorCode.OUT_OF_RANGE, "line 2");
            assertRefused(() -> csv(db, "id,price,score\n1,1.234,1\n", OnConflict.ERROR), ErrorCode.OUT_OF_RANGE, "price");
            assertRefused(() -> csv(db, "id,nope,score\n1,1,1\n", OnConflict.ERROR), ErrorCode.UNKNOWN_COLUMN, "nope");
            assertRefused(() -> csv(db, "name,score\nx,1\n", OnConflict.ERROR), ErrorCode.NULL_KEY, "id");
            assertRefused(() -> csv(db, "id,score\n1,\n", OnConflict.ERROR), ErrorCode.NULL_VALUE, "score");
            assertRefused(() -> csv(db, "id,score\n1,inf\n", OnConflict.ERROR), ErrorCode.TYPE_MISMATCH, "score");
            assertRefused(() -> csv(db, "", OnConflict.ERROR), ErrorCode.INVALID_REQUEST, "empty", "header line");
            assertThat(db.table("items").count()).isZero();
        }
    }

    @Test
    void keyThatExistsOrRepeatsFailsTheWholeImport() {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS).insert(Map.of("id", 5, "score", 0));
            assertRefused(() -> csv(db, "id,score\n1,1\n5,1\n", OnConflict.ERROR), ErrorCode.DUPLICATE_KEY, "5",
                    "already exists");
            assertRefused(() -> csv(db, "id,score\n1,1\n1,2\n", OnConflict.ERROR), ErrorCode.DUPLICATE_KEY,
                    "more than once");
            assertThat(db.table("items").count()).isEqualTo(1);
        }
    }

    @Test
    void updateLetsTheLastRowWinAndIgnoreKeepsWhatExistsAlsoAfterReplay() {
        try (Database db = Database.open(dir)) {
            Table t = db.create(ITEMS);
            t.insert(Map.of("id", 1, "name", "old", "score", 0));
            csv(db, "id,name,score\n1,first,1\n1,last,2\n2,new,3\n", OnConflict.UPDATE);
            assertThat(t.get(1L).orElseThrow()).containsEntry("name", "last");
            WriteResult ignored = csv(db, "id,name,score\n1,ignored,1\n3,a,1\n3,b,1\n", OnConflict.IGNORE);
            assertThat(ignored.rows()).isEqualTo(1);
            assertThat(t.get(1L).orElseThrow()).containsEntry("name", "last");
            assertThat(t.get(3L).orElseThrow()).containsEntry("name", "a");
        }
        try (Database db = Database.open(dir)) {
            Table t = db.table("items");
            assertThat(t.count()).isEqualTo(3);
            assertThat(t.get(1L).orElseThrow()).containsEntry("name", "last");
            assertThat(t.get(3L).orElseThrow()).containsEntry("name", "a");
        }
    }

    @Test
    void ndjsonRowsAreCoercedLikeJsonRows() {
        try (Database db = Database.open(dir)) {
            db.create(ITEMS);
            db.importRows("items", text("{\"id\":1,\"price\":1.5,\"score\":2}\n\n{\"id\":2,\"score\":3,\"blob\":\"AAE=\"}\n"),
                    ImportFormat.NDJSON, OnConflict.ERROR, Durability.DEFAULT);
            assertThat(db.table("items").get(1L).orElseThrow()).containsEntry("price", new BigDecimal("1.50"));
            assertRefused(() -> db.importRows("items", text("{\"id\":3,\"score\":1}\n{\"id\":4,\"qty\":300,\"score\":1}\n"),
                    ImportFormat.NDJSON, OnConflict.ERROR, Durability.DEFAULT), ErrorCode.OUT_OF_RANGE, "line 2");
            assertRefused(() -> db.importRows("items", text("{\"id\":3,"), ImportFormat.NDJSON, OnConflict.ERROR,
                    Durability.DEFAULT), ErrorCode.MALFORMED_JSON, "line 1");
            assertThat(db.table("items").count()).isEqualTo(2);
        }
    }

    @Test
    void parquetColumnsMatchByName() throws Exception {
        Path parquet = dir.resolve("in.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT 2.5::DOUBLE AS score, i AS id, 'n' || i AS name FROM range(3) t(i)) TO '"
                    + parquet + "' (FORMAT parquet)");
        }
        try (Database db = Database.open(dir.resolve("db"))) {
            db.create(ITEMS);
            db.importRows("items", Files.newInputStream(parquet), ImportFormat.PARQUET, OnConflict.ERROR,
                    Durability.DEFAULT);
            assertThat(db.table("items").get(2L).orElseThrow()).containsEntry("name", "n2").containsEntry("score", 2.5);
        }
    }

    @Test
    void largeImportIsLoggedInChunksAndReplayedInFileOrder() {
        StringBuilder body = new StringBuilder("id,name,score\n");
        List<Long> fileOrder = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            long id = i * 7919L % 50_000; // every key once, not sorted
            fileOrder.add(id);
            body.append(id).append(",name").append(id).append(',').append(i).append('\n');
        }
        try (Database db = Database.open(dir)) {
            db.create(ITEMS);
            assertThat(csv(db, body.toString(), OnConflict.ERROR).rows()).isEqualTo(50_000);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("items").count()).isEqualTo(50_000);
            assertThat(db.table("items").get(49_999L).orElseThrow()).containsEntry("name", "name49999");
            assertThat(Items.sql(db, "SELECT id FROM items")).extracting(row -> row[0]).containsExactlyElementsOf(fileOrder);
        }
    }

    @Test
    void importCutBeforeItsEndRecordIsDroppedAtRecovery() throws Exception {
        StringBuilder body = new StringBuilder("id,score\n");
        for (int i = 0; i < 30_000; i++) {
            body.append(i).append(",1\n");
        }
        try (Database db = Database.open(dir)) {
            db.create(ITEMS).insert(Map.of("id", -1, "score", 0));
            csv(db, body.toString(), OnConflict.ERROR);
        }
        // A crash in the middle of the import's write: the end record (and part of the last chunk) never reached
        // the file. Cut the newest segment inside its last chunk.
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            segment = files.max(Comparator.naturalOrder()).orElseThrow();
        }
        long size = Files.size(segment);
        try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 200);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("items").count()).isEqualTo(1);
            assertThat(db.table("items").insert(Map.of("id", 7, "score", 1)).lsn()).isPositive();
        }
    }

    static void assertRefused(Runnable call, ErrorCode code, String... inMessage) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(MathDbException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String part : inMessage) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }
}
