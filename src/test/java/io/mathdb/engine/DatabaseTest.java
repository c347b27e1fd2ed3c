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

/** The library API without Spring: the original's quick start and its error cases. */
class DatabaseTest {
    @TempDir
    Path dir;
    Database db;
    Table users;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        users = db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
                Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32"))));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void quickStartOfTheOriginalWorks() {
        users.insert(Map.of("id", 1, "name", "Alice", "age", 30));
        users.update(1, Map.of("id", 1, "name", "Alice", "age", 31));
        users.upsert(Map.of("id", 2, "name", "Bob", "age", 25));
        users.delete(1);
        assertThat(users.count()).isEqualTo(1);
        assertThat(users.get(2L)).contains(Map.of("id", 2L, "name", "Bob", "age", 25L));
        assertThat(users.get(1L)).isEmpty();
    }

    @Test
    void duplicateKeyInsertIsConflictAndWritesNothing() {
        users.insert(Map.of("id", 1, "name", "A"));
        assertThatThrownBy(() -> users.insert(List.of(Map.of("id", 5), Map.of("id", 1)), OnConflict.ERROR,
                Durability.DEFAULT)).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_KEY));
        assertThat(users.count()).isEqualTo(1);
        assertThat(users.get(5L)).isEmpty();
    }

    @Test
    void keyRepeatedWithinOneInsertIsConflict() {
        assertThatThrownBy(() -> users.insert(List.of(Map.of("id", 7), Map.of("id", 7)), OnConflict.ERROR,
                Durability.DEFAULT)).hasMessageContaining("more than once");
        assertThat(users.count()).isZero();
    }

    @Test
    void upsertWithinOneRequestLastRowWins() {
        users.insert(List.of(Map.of("id", 1, "name", "a"), Map.of("id", 1, "name", "b")), OnConflict.UPDATE,
                Durability.DEFAULT);
        assertThat(users.get(1L).orElseThrow()).containsEntry("name", "b");
    }

    @Test
    void ignoreKeepsExistingRows() {
        users.insert(Map.of("id", 1, "name", "a"));
        WriteResult r = users.insert(List.of(Map.of("id", 1, "name", "b"), Map.of("id", 2, "name", "c")),
                OnConflict.IGNORE, Durability.DEFAULT);
        assertThat(r.rows()).isEqualTo(1);
        assertThat(users.get(1L).orElseThrow()).containsEntry("name", "a");
    }

    @Test
    void patchSetsOnlyGivenColumns() {
        users.insert(Map.of("id", 1, "name", "a", "age", 3));
        java.util.HashMap<String, Object> patch = new java.util.HashMap<>();
        patch.put("name", null);
        users.patch(1, patch);
        assertThat(users.get(1L).orElseThrow()).containsEntry("age", 3L).containsEntry("name", null);
    }

    @Test
    void missingRowIsNotFoundForUpdatePatchDelete() {
        assertThatThrownBy(() -> users.delete(9)).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_ROW));
        assertThatThrownBy(() -> users.patch(9, Map.of("age", 1))).isInstanceOf(MathDbException.class);
        assertThatThrownBy(() -> users.update(9, Map.of("name", "x"))).isInstanceOf(MathDbException.class);
    }

    @Test
    void batchIsAllOrNothingAcrossTables() {
        Table orders = db.create(TableSchema.of("orders", Column.key("id", ColumnType.parse("Utf8"))));
        assertThatThrownBy(() -> db.batch(List.of(RowOp.insert("users", Map.of("id", 1)),
                RowOp.insert("orders", Map.of("id", "x")), RowOp.delete("users", 42)), Durability.DEFAULT))
                .isInstanceOf(MathDbException.class);
        assertThat(users.count()).isZero();
        assertThat(orders.count()).isZero();
        db.batch(List.of(RowOp.insert("users", Map.of("id", 1)), RowOp.insert("orders", Map.of("id", "x")),
                RowOp.delete("users", 1), RowOp.insert("users", Map.of("id", 1, "name", "again"))), Durability.DEFAULT);
        assertThat(users.get(1L).orElseThrow()).containsEntry("name", "again");
        assertThat(orders.count()).isEqualTo(1);
    }

    @Test
    void tableNamesClashWithoutRegardToCase() {
        assertThatThrownBy(() -> db.create(TableSchema.of("USERS", Column.key("id", ColumnType.parse("Int64")))))
                .isInstanceOfSatisfying(MathDbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_EXISTS));
    }

    @Test
    void lsnsGrowWithEveryWrite() {
        long a = users.insert(Map.of("id", 1)).lsn();
        long b = users.insert(Map.of("id", 2)).lsn();
        assertThat(b).isGreaterThan(a);
    }
}
