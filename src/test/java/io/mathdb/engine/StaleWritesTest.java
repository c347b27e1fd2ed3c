package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.RowChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write coerced for a table that was dropped and created again before the writer took it is refused alone. */
class StaleWritesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteCoercedForADroppedTableIsRefusedAndTheWriterGoesOn() {
        try (Database db = Database.open(dir)) {
            db.create(TableSchema.of("t", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("v", ColumnType.parse("Utf8"))));
            long coercedAt = 1; // the catalog's version with t as first created: one creation so far
            // As a client would have coerced it then, queued only after t was dropped and created with other types.
            RowChange old = new RowChange(RowChange.Kind.INSERT, "t", 1L, new Object[] {1L, "text"}, null);
            db.drop("t", Durability.DEFAULT);
            db.create(TableSchema.of("t", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("v", ColumnType.parse("Int32"))));

            assertThatThrownBy(() -> db.writer().submit(new Mutation.RowChanges(List.of(old)), Durability.DEFAULT,
                    coercedAt).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(MathDbException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_TABLE);
                        assertThat(e.getMessage()).contains("'t' was dropped and created again");
                    });
            db.table("t").insert(Map.of("id", 2L, "v", 7));
            assertThat(((Number) db.table("t").get(2L).orElseThrow().get("v")).intValue()).isEqualTo(7);
            assertThat(db.table("t").count()).isEqualTo(1);
        }
    }

    @Test
    void aPatchWhoseBodyKeyIsNullIsAKeyMismatch() {
        try (Database db = Database.open(dir)) {
            Table t = db.create(TableSchema.of("t", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("v", ColumnType.parse("Utf8"))));
            t.insert(Map.of("id", 5L, "v", "a"));
            java.util.Map<String, Object> body = new java.util.HashMap<>();
            body.put("id", null);
            body.put("v", "b");
            assertThatThrownBy(() -> t.patch(5L, body)).isInstanceOfSatisfying(MathDbException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_MISMATCH));
        }
    }
}
