package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After the log fails once, writes stop for good and reads go on; the next start recovers what is on disk. */
class LogFailureTest {
    @TempDir
    Path dir;

    static final TableSchema T = TableSchema.of("t", Column.key("id", ColumnType.parse("Int64")),
            Column.of("v", ColumnType.parse("Utf8")));

    @Test
    void failedLogWriteStopsWritesButNotReads() {
        FailingWalFiles files = new FailingWalFiles();
        try (Database db = Database.open(dir, DatabaseOptions.DEFAULTS.withWalFiles(files))) {
            Table t = db.create(T);
            t.insert(Map.of("id", 1, "v", "kept"));
            files.failWrites.set(true);
            assertThatThrownBy(() -> t.insert(Map.of("id", 2))).isInstanceOfSatisfying(MathDbException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITES_STOPPED));
            files.failWrites.set(false);
            // an fsync error is final: a disk that seems to recover does not bring writes back
            assertThatThrownBy(() -> t.insert(Map.of("id", 3))).isInstanceOfSatisfying(MathDbException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITES_STOPPED));
            assertThat(t.get(1L).orElseThrow()).containsEntry("v", "kept");
            assertThat(t.get(2L)).isEmpty();
            assertThat(t.count()).isEqualTo(1);
            assertThat(db.status().writesStopped()).contains("No space left on device");
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("t").count()).isEqualTo(1);
        }
    }

    @Test
    void failedFsyncFailsTheSyncWriteWaitingOnIt() {
        FailingWalFiles files = new FailingWalFiles();
        DatabaseOptions options = DatabaseOptions.DEFAULTS.withWalFiles(files).withFlushInterval(Duration.ZERO);
        try (Database db = Database.open(dir, options)) {
            Table t = db.create(T);
            files.failForce.set(true);
            assertThatThrownBy(() -> t.insert(List.of(Map.of("id", 1)), OnConflict.ERROR, Durability.SYNC))
                    .isInstanceOfSatisfying(MathDbException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITES_STOPPED));
            assertThatThrownBy(() -> t.insert(Map.of("id", 2))).isInstanceOf(MathDbException.class);
            assertThat(db.writeFailure()).isNotNull();
        }
    }
}
