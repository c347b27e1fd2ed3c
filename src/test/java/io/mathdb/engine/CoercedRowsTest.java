package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows coerced as a caller reads them, then inserted: the outcomes of inserting the same rows as maps. */
class CoercedRowsTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
                Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32"))));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static void row(CoercedRows rows, Object id, Object age) {
        rows.set("id", id);
        rows.set("age", age);
        rows.endRow();
    }

    private long count() {
        return db.table("users").count();
    }

    @Test
    void coercedRowsAreInsertedAndReadBack() {
        CoercedRows rows = db.coerceRows("USERS");
        row(rows, 1, 30);
        rows.set("ID", 2L);
        rows.set("Name", "b");
        rows.endRow();
        WriteResult result = db.insertAsync(rows, OnConflict.ERROR, Durability.DEFAULT).join();

        assertThat(result.rows()).isEqualTo(2);
        assertThat(db.table("users").get(1L).orElseThrow()).containsEntry("age", 30L).containsEntry("name", null);
        assertThat(db.table("users").get(2L).orElseThrow()).containsEntry("name", "b");
    }

    @Test
    void refusedRowIsNamedByItsIndexAmongSeveralAndNothingIsWritten() {
        CoercedRows rows = db.coerceRows("users");
        row(rows, 1, 30);
        row(rows, 2, "old");
        row(rows, 3, "older"); // after a refusal rows are only counted: the first refusal is the one reported
        assertThat(rows.size()).isEqualTo(3);

        assertThatThrownBy(() -> db.insertAsync(rows, OnConflict.ERROR, Durability.DEFAULT))
                .isInstanceOfSatisfying(MathDbException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TYPE_MISMATCH);
                    assertThat(e.getMessage()).startsWith("rows[1]: column 'age'").contains("\"old\"");
                });
        assertThat(count()).isZero();
    }

    @Test
    void refusedOnlyRowIsNotNamedByIndex() {
        CoercedRows rows = db.coerceRows("users");
        rows.set("age", 3);
        rows.endRow();
        assertThatThrownBy(() -> db.insertAsync(rows, OnConflict.ERROR, Durability.DEFAULT))
                .hasMessage("table 'users': key 'id' is missing");
    }

    @Test
    void refusalsAreTheSameAsForRowsGivenAsMaps() {
        CoercedRows coerced = db.coerceRows("users");
        coerced.add(Map.of("id", 1));
        coerced.add(Map.of("id", 2, "x", 1));
        String asMaps = "";
        try {
            db.table("users").insertAsync(List.of(Map.of("id", 1), Map.of("id", 2, "x", 1)), OnConflict.ERROR,
                    Durability.DEFAULT);
        } catch (MathDbException e) {
            asMaps = e.getMessage();
        }
        assertThat(asMaps).isEqualTo("rows[1]: table 'users' has no column 'x'");
        assertThatThrownBy(() -> db.insertAsync(coerced, OnConflict.ERROR, Durability.DEFAULT)).hasMessage(asMaps);
    }

    @Test
    void rowsForAMissingTableAreRefusedAtOnce() {
        assertThatThrownBy(() -> db.coerceRows("nope")).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_TABLE));
    }

    @Test
    void noRowsAtAllAreRefused() {
        assertThatThrownBy(() -> db.insertAsync(db.coerceRows("users"), OnConflict.ERROR, Durability.DEFAULT))
                .isInstanceOfSatisfying(MathDbException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void onConflictAppliesToCoercedRows() {
        CoercedRows first = db.coerceRows("users");
        row(first, 1, 1);
        db.insertAsync(first, OnConflict.ERROR, Durability.DEFAULT).join();
        CoercedRows again = db.coerceRows("users");
        row(again, 1, 2);
        row(again, 2, 2);
        assertThat(db.insertAsync(again, OnConflict.IGNORE, Durability.DEFAULT).join().rows()).isEqualTo(1);
        assertThat(db.table("users").get(1L).orElseThrow()).containsEntry("age", 1L);
        CoercedRows upsert = db.coerceRows("users");
        row(upsert, 1, 3);
        db.insertAsync(upsert, OnConflict.UPDATE, Durability.DEFAULT).join();
        assertThat(db.table("users").get(1L).orElseThrow()).containsEntry("age", 3L);
    }

    @Test
    void rowsForATableDroppedWhileTheyWereReadAreRefused() {
        CoercedRows rows = db.coerceRows("users");
        row(rows, 1, 30);
        db.drop("users", Durability.DEFAULT);
        assertThatThrownBy(() -> db.insertAsync(rows, OnConflict.ERROR, Durability.DEFAULT))
                .isInstanceOfSatisfying(MathDbException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_TABLE));
    }

    @Test
    void rowsForATableCreatedAgainWhileTheyWereReadAreRefusedAndWritesGoOn() {
        CoercedRows stale = db.coerceRows("users");
        row(stale, 1, 30);
        db.drop("users", Durability.DEFAULT);
        db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Utf8")),
                Column.of("age", ColumnType.parse("Int32"))));

        // coerced for the old columns: a Long where the key is now text, which must never reach the writer
        assertThatThrownBy(() -> db.insertAsync(stale, OnConflict.ERROR, Durability.DEFAULT))
                .isInstanceOfSatisfying(MathDbException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_TABLE);
                    assertThat(e.getMessage()).contains("created again");
                });
        assertThat(count()).isZero();
        db.table("users").insert(Map.of("id", "a", "age", 1));
        assertThat(count()).isEqualTo(1);
    }
}
