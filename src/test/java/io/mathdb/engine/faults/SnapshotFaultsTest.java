package io.mathdb.engine.faults;

import static io.mathdb.engine.faults.DataDirs.ROWS;
import static io.mathdb.engine.faults.DataDirs.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots as a crash or a lost file leaves them, opened through {@link Database#open}: a half-written one is
 * ignored and removed; a snapshot that names a missing file, with no older snapshot and the log below it gone, stops
 * start-up instead of starting empty.
 */
class SnapshotFaultsTest {
    /** Small segments, so a snapshot lets the segments below it go. */
    private static final DatabaseOptions OPTIONS = DataDirs.LOG_ONLY;

    @TempDir
    Path dir;

    @Test
    void halfWrittenSnapshotIsIgnoredAndRemoved() throws Exception {
        try (Database db = Database.open(dir, OPTIONS)) {
            Table t = db.create(ROWS);
            for (long id = 1; id <= 50; id++) {
                t.insert(row(id));
            }
            db.snapshot();
            for (long id = 51; id <= 60; id++) {
                t.insert(row(id));
            }
        }
        // As a crash between COPY and the rename leaves it: a temp directory, one Parquet file cut short, no manifest.
        Path published = onlySnapshot();
        Path temp = Files.createDirectory(dir.resolve("snapshots").resolve("tmp-000000000000003d-0badc0de"));
        byte[] parquet = Files.readAllBytes(published.resolve("t000.parquet"));
        Files.write(temp.resolve("t000.parquet"), java.util.Arrays.copyOf(parquet, parquet.length / 2));

        try (Database db = Database.open(dir, OPTIONS)) {
            Table t = db.table(ROWS.name());
            assertThat(t.count()).isEqualTo(60);
            assertThat(t.get(60L)).contains(row(60));
            assertThat(db.recoveryState().report().snapshotLsn()).isEqualTo(51);
            assertThat(db.recoveryState().report().recordsReplayed()).isEqualTo(10);
        }
        assertThat(temp).doesNotExist();
        assertThat(onlySnapshot()).isEqualTo(published);
    }

    @Test
    void snapshotNamingAMissingFileWithNoOlderSnapshotAndItsLogGoneRefusesToStart() throws Exception {
        try (Database db = Database.open(dir, OPTIONS)) {
            Table t = db.create(ROWS);
            for (long id = 1; id <= 200; id++) {
                t.insert(row(id));
            }
            db.snapshot();
            t.insert(row(201));
        }
        List<Path> segments = DataDirs.segments(dir);
        assertThat(segments.get(0).getFileName().toString()).as("the log below the snapshot was deleted")
                .isNotEqualTo("wal-0000000000000001.log");
        Path missing = onlySnapshot().resolve("t000.parquet");
        Files.delete(missing);

        assertThatThrownBy(() -> Database.open(dir, OPTIONS)).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.getMessage()).contains("LSN 1 is missing"));
        assertThat(DataDirs.segments(dir)).as("a refused start deletes nothing").isEqualTo(segments);
    }

    private Path onlySnapshot() throws Exception {
        try (Stream<Path> snaps = Files.list(dir.resolve("snapshots"))) {
            List<Path> all = snaps.filter(p -> p.getFileName().toString().startsWith("snap-")).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
