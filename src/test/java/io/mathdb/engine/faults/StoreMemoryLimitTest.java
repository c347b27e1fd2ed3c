package io.mathdb.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.Durability;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.Table;
import io.mathdb.engine.query.RowQuery;
import io.mathdb.engine.query.RowQueryParser;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB given less memory than the tables need ({@code storeMemoryBytes}) refuses writes it cannot hold. Writes
 * are acknowledged once logged and reach DuckDB later (the writer's backlog), so DuckDB may refuse writes clients
 * were already told of: from then on no write is acknowledged, and a restart with more memory recovers every
 * acknowledged write from the log.
 */
class StoreMemoryLimitTest {
    private static final TableSchema ITEMS = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
            Column.of("label", ColumnType.parse("Utf8")), Column.of("qty", ColumnType.parse("Int32")));

    private static final int BATCH = 10_000;

    @TempDir
    Path dir;

    @Test
    void writesDuckDbCannotHoldStopWritesAndARestartWithMoreMemoryRecoversEveryAcknowledgedOne() {
        Filled filled;
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withStoreMemoryBytes(8 << 20))) {
            Table items = db.create(ITEMS);
            filled = fillUntilRefused(items);
            MathDbException refused = filled.refused();
            assertThat(refused.code()).isEqualTo(ErrorCode.WRITES_STOPPED);
            assertThat(refused.getMessage()).contains("DuckDB is out of the memory it may take")
                    .contains("restart").doesNotContain("SET memory_limit");
            assertThat(db.writeFailure()).isNotNull();
            assertThat(refusal(() -> items.insert(rows(-1, 1).get(0)))).as("writes stay refused")
                    .isEqualTo(ErrorCode.WRITES_STOPPED);
            assertThat(refusal(items::count)).as("DuckDB lacks acknowledged writes: no stale answer")
                    .isEqualTo(ErrorCode.WRITES_STOPPED);
            RowQuery all = RowQueryParser.parse(db.schema("items"), Map.of(), Set.of(), null);
            assertThat(refusal(() -> db.queries().exportCsv(all, (file, lsn) -> { }))).as("nor a stale export")
                    .isEqualTo(ErrorCode.WRITES_STOPPED);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("items").count()).isEqualTo(filled.acknowledged());
            assertThat(db.table("items").get(filled.acknowledged() - 1)).isPresent();
        }
    }

    /**
     * Without copies of keys, the writer applies a write to DuckDB, logs it, then commits: DuckDB takes the memory
     * at the commit, after the log record. The refused write is not acknowledged, writes stop, and the restart
     * applies it with the others from the log, as the refusal says.
     */
    @Test
    void aWriteWhoseCommitDuckDbRefusesAfterItWasLoggedStopsWritesAndIsRecoveredWithTheOthers() {
        Filled filled;
        DatabaseOptions options = DatabaseOptions.DEFAULTS.withStoreMemoryBytes(8 << 20).withMirrorBytes(0);
        try (Database db = Database.open(dir, options)) {
            filled = fillUntilRefused(db.create(ITEMS));
            MathDbException refused = filled.refused();
            assertThat(refused.code()).isEqualTo(ErrorCode.WRITES_STOPPED);
            assertThat(refused.getMessage()).contains("DuckDB is out of the memory it may take")
                    .contains("recover them from the log").doesNotContain("Possible solutions");
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("items").count()).isEqualTo(filled.acknowledged() + BATCH);
        }
    }

    private record Filled(long acknowledged, MathDbException refused) {
    }

    /** Inserts batches of new rows until one is refused. */
    private static Filled fillUntilRefused(Table items) {
        for (long acknowledged = 0; ; acknowledged += BATCH) {
            assertThat(acknowledged).as("DuckDB ran out of its 8 MB").isLessThan(20_000_000);
            try {
                items.insert(rows(acknowledged, BATCH), OnConflict.ERROR, Durability.DEFAULT);
            } catch (MathDbException e) {
                return new Filled(acknowledged, e);
            }
        }
    }

    private static ErrorCode refusal(Runnable write) {
        try {
            write.run();
            return null;
        } catch (MathDbException e) {
            return e.code();
        }
    }

    private static List<Map<String, Object>> rows(long from, int n) {
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (long id = from; id < from + n; id++) {
            rows.add(Map.of("id", id, "label", "item-" + id, "qty", (int) (id % 100)));
        }
        return rows;
    }
}
