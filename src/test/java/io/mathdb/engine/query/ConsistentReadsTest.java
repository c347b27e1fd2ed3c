package io.mathdb.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads while the writer is busy, exports pinned at one LSN, and the file lock-down under the engine's own use. */
class ConsistentReadsTest {
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    /**
     * A writer thread inserts batches of 50 rows, one write (one LSN) each, so every committed state holds a
     * multiple of 50 rows, and the state at LSN {@code l} holds exactly {@code 50 * (l - l0)}.
     */
    @Test
    void readsAndExportsDuringWritesSeeOneCommittedStateAtTheirLsn() throws Exception {
        try (Database db = Database.open(dir)) {
            long lsn0 = db.createTable(TableSchema.of("events", Column.key("id", ColumnType.parse("Int64")),
                    Column.of("batch", ColumnType.parse("Int64"))), Durability.DEFAULT).lsn();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                long next = 0;
                for (int b = 0; !stop.get() && b < 2000; b++) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        rows.add(Map.of("id", next++, "batch", (long) b));
                    }
                    db.table("events").insert(rows, OnConflict.ERROR, Durability.DEFAULT);
                }
            });
            writer.start();
            try {
                for (int round = 0; round < 40; round++) {
                    ListSink counted = new ListSink();
                    RowQuery all = RowQueryParser.parse(db.schema("events"), Map.of("select", List.of("count()")),
                            Set.of(), null);
                    db.queries().rows(all, false, Duration.ofSeconds(30), counted);
                    assertThat((Long) counted.rows.get(0)[0] % BATCH).isZero();

                    ListSink exported = new ListSink();
                    RowQuery rows = RowQueryParser.parse(db.schema("events"), Map.of(), Set.of(), null);
                    db.queries().export(rows, exported);
                    assertThat((long) exported.rows.size()).as("lsn %d lsn0 %d", exported.header.lsn(), lsn0).isEqualTo(BATCH * (exported.header.lsn() - lsn0));

                    long[] csvLines = new long[2];
                    db.queries().exportCsv(rows, (file, at) -> {
                        csvLines[0] = at;
                        csvLines[1] = Files.readAllLines(file).size() - 1; // the header line
                    });
                    assertThat(csvLines[1]).as("lsn %d lsn0 %d", csvLines[0], lsn0)
                            .isEqualTo(BATCH * (csvLines[0] - lsn0));
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    @Test
    void parquetExportHoldsExactlyTheRowsOfItsLsn() throws Exception {
        try (Database db = Database.open(dir)) {
            People.load(db);
            long[] lsn = new long[1];
            long[] count = new long[1];
            db.queries().exportParquet(RowQueryParser.parse(db.schema("people"), Map.of("age",
                    List.of("gt.18")), Set.of(), null), (file, at) -> {
                lsn[0] = at;
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                     Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
                    rs.next();
                    count[0] = rs.getLong(1);
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(lsn[0]).isEqualTo(2); // the table creation and the one insert
            assertThat(count[0]).isEqualTo(3);
        }
    }

    @Test
    void csvExportHoldsExactlyTheRowsOfItsLsnAndLeavesNoFileBehind() throws Exception {
        try (Database db = Database.open(dir)) {
            People.load(db);
            long[] lsn = new long[1];
            List<String> lines = new ArrayList<>();
            db.queries().exportCsv(RowQueryParser.parse(db.schema("people"), Map.of("age", List.of("gt.18"),
                    "select", List.of("id"), "order", List.of("id")), Set.of(), null), (file, at) -> {
                lsn[0] = at;
                lines.addAll(Files.readAllLines(file));
            });
            assertThat(lsn[0]).isEqualTo(2); // the table creation and the one insert
            assertThat(lines).hasSize(4).first().isEqualTo("id");
            assertThat(leftInTmp()).isEmpty();
        }
    }

    /** A client that hangs up mid-download fails the sink; the file DuckDB wrote must still go. */
    @Test
    void csvExportRemovesItsFileWhenTheSinkFails() throws Exception {
        try (Database db = Database.open(dir)) {
            People.load(db);
            RowQuery all = RowQueryParser.parse(db.schema("people"), Map.of(), Set.of(), null);
            assertThatThrownBy(() -> db.queries().exportCsv(all, (file, at) -> {
                throw new IOException("Broken pipe");
            })).hasRootCauseMessage("Broken pipe");
            assertThat(leftInTmp()).isEmpty();
        }
    }

    private List<Path> leftInTmp() throws IOException {
        Path tmp = dir.resolve("tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (var files = Files.walk(tmp)) {
            return files.filter(f -> !f.equals(tmp)).toList();
        }
    }

    /** Snapshots are COPY'd into snapshots/ and read back at start-up: the lock-down must leave that working. */
    @Test
    void engineStillWritesAndLoadsSnapshotsUnderTheLockdown() {
        try (Database db = Database.open(dir)) {
            People.load(db);
            db.snapshot();
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.table("people").count()).isEqualTo(6);
            assertThat(db.status().toString()).isNotEmpty();
        }
    }

    @Test
    void lockdownRefusesFilesOutsideTheAllowedDirectoriesAndLocksSettings() throws Exception {
        Path allowed = dir.resolve("allowed");
        java.nio.file.Files.createDirectories(allowed);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            Lockdown.apply(c, List.of(allowed));
            st.execute("COPY (SELECT 1 AS a) TO '" + allowed.resolve("ok.parquet") + "' (FORMAT parquet)");
            assertThat(allowed.resolve("ok.parquet")).exists();
            assertRefused(st, "COPY (SELECT 1 AS a) TO '" + dir.resolve("no.parquet") + "' (FORMAT parquet)");
            assertRefused(st, "COPY (SELECT 1 AS a) TO '" + allowed + "/../no.parquet' (FORMAT parquet)");
            assertRefused(st, "SELECT * FROM read_csv('/etc/passwd')");
            assertRefused(st, "SET enable_external_access = true");
            assertRefused(st, "SET allowed_directories = ['/']");
            assertRefused(st, "LOAD httpfs");
            assertThat(dir.resolve("no.parquet")).doesNotExist();
        }
    }

    private static void assertRefused(Statement st, String sql) {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            return;
        }
        throw new AssertionError("ran: " + sql);
    }
}
