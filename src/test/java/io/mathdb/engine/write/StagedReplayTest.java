package io.mathdb.engine.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay stages long runs of records that only insert and moves them into their tables in bulk (with a small move
 * threshold here, so a few thousand records move several times): the tables end exactly as the log says, the LSN
 * replay reports committed only covers rows in the tables, and a row the table refuses names its own record.
 */
class StagedReplayTest {
    private static final long MOVE_ROWS = 1000;
    private static final TableSchema ROWS = TableSchema.of("rows", Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")), Column.required("n", ColumnType.parse("Int32")));
    private static final TableSchema OTHER = TableSchema.of("other", Column.key("k", ColumnType.parse("Utf8")),
            Column.of("v", ColumnType.parse("Int64")));

    @TempDir
    Path spool;
    private DuckStore store;
    private Catalog catalog;
    private Replay replay;
    private final List<Mutation> log = new ArrayList<>();

    @BeforeEach
    void openStore() throws SQLException {
        store = new DuckStore();
        catalog = new Catalog();
        replay = new Replay(store, catalog, new Applier(store, catalog, CommitWatcher.NONE), spool, MOVE_ROWS,
                deferIndexRows());
    }

    /** Rows of a move into an empty table that leave its key index until the stretch ends: here, never. */
    long deferIndexRows() {
        return Long.MAX_VALUE;
    }

    @AfterEach
    void closeStore() throws SQLException {
        store.close();
    }

    @Test
    void insertStretchLongerThanTheMoveThresholdReplaysExactlyTheLoggedRows() throws SQLException {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 4500; id++) {
            log.add(insert(id));
        }
        long lastCommitted = 0;
        for (int from = 0; from < log.size(); from += 700) {
            long committed = replay.apply(log.subList(from, Math.min(log.size(), from + 700)), from + 1);
            lastCommitted = committed > 0 ? committed : lastCommitted;
            // LSN 1 creates the table and LSN 1 + id inserts row id: what counts as committed is in the table.
            assertThat(count("rows")).as("after LSN %d", from + 700).isEqualTo(lastCommitted - 1);
        }
        assertThat(lastCommitted).as("some rows are still staged").isLessThan(4501);
        replay.finish();
        assertThat(store.keyIndexed(ROWS)).as("the table has its key index").isTrue();
        assertThatThrownBy(() -> execute("INSERT INTO main.rows VALUES (7, 'again', 7)"))
                .as("the index refuses a key that exists").isInstanceOf(SQLException.class);
        assertThat(rows("rows")).hasSize(4500);
        for (long id : new long[] {1, 999, 1000, 1001, 4500}) {
            assertThat(rows("rows").get(String.valueOf(id))).containsExactly(id, "row-" + id, id % 1000);
        }
    }

    @Test
    void insertsMixedWithUpsertsDeletesPatchesAndARecreatedTableReplayToTheLoggedState() throws SQLException {
        Random random = new Random(11);
        Map<Long, List<Object>> rows = new TreeMap<>();
        Map<String, List<Object>> other = new TreeMap<>();
        log.add(new Mutation.CreateTable(ROWS));
        log.add(new Mutation.CreateTable(OTHER));
        long nextId = 1;
        for (int round = 0; round < 12; round++) {
            // a run of inserts, long enough to be staged in some rounds, short in others; some over two tables
            int run = round % 3 == 0 ? 40 : 300 + random.nextInt(900);
            for (int i = 0; i < run; i++) {
                long id = nextId++;
                rows.put(id, List.of(id, "row-" + id, id % 1000));
                if (i % 97 == 5) {
                    String k = "k" + id;
                    other.put(k, Arrays.asList(k, id));
                    log.add(new Mutation.RowChanges(List.of(insert(id).changes().get(0),
                            new RowChange(RowChange.Kind.INSERT, "OTHER", k, new Object[] {k, id}, null))));
                } else {
                    log.add(insert(id));
                }
            }
            // then changes to keys written before, some inside the stretch just staged
            List<Long> live = new ArrayList<>(rows.keySet());
            for (int i = 0; i < 30; i++) {
                long id = live.get(random.nextInt(live.size()));
                if (!rows.containsKey(id)) {
                    continue;
                }
                switch (i % 5) {
                    case 0 -> {
                        rows.put(id, Arrays.asList(id, "up-" + round, 7L));
                        log.add(change(RowChange.Kind.UPSERT, id, new Object[] {id, "up-" + round, 7L}, null));
                    }
                    case 1 -> {
                        rows.remove(id);
                        log.add(change(RowChange.Kind.DELETE, id, null, null));
                    }
                    case 2 -> {
                        List<Object> row = new ArrayList<>(rows.get(id));
                        row.set(2, (long) round);
                        rows.put(id, row);
                        // a patch carries the key in its values, as TableSchema.coercePatch makes it
                        log.add(change(RowChange.Kind.PATCH, id, new Object[] {id, null, (long) round},
                                new boolean[] {false, false, true}));
                    }
                    case 3 -> {
                        rows.put(id, Arrays.asList(id, null, 3L));
                        log.add(change(RowChange.Kind.REPLACE, id, new Object[] {id, null, 3L}, null));
                    }
                    default -> log.add(change(RowChange.Kind.INSERT_IGNORE, id, new Object[] {id, "ignored", 0L},
                            null)); // the key exists: nothing changes
                }
            }
            // a deleted key inserted again, as a plain insert
            long back = live.get(random.nextInt(live.size()));
            if (!rows.containsKey(back)) {
                rows.put(back, List.of(back, "row-" + back, back % 1000));
                log.add(insert(back));
            }
            if (round == 6) {
                // the table goes and comes back under the same name; its old rows must not come back with it
                log.add(new Mutation.DropTable("rows"));
                log.add(new Mutation.CreateTable(ROWS));
                rows.clear();
            }
        }
        replayInBatches(log, 1000);
        replay.finish();
        Map<String, List<Object>> expected = new TreeMap<>();
        rows.forEach((id, row) -> expected.put(String.valueOf(id), row));
        assertThat(rows("rows")).isEqualTo(expected);
        assertThat(rows("other")).isEqualTo(other);
    }

    @Test
    void keyRepeatedWithinAnInsertStretchStopsReplayAtTheRepeatingRecord() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 2500; id++) {
            log.add(insert(id == 1800 ? 1200 : id)); // LSN 1801 repeats the key LSN 1201 inserted
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 700);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(1801))
                .hasMessageContaining("LSN 1801");
    }

    @Test
    void keyRepeatedInALaterMoveOfTheSameStretchStopsReplayAtTheRepeatingRecord() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 2500; id++) {
            log.add(insert(id == 2300 ? 500 : id)); // LSN 2301 repeats the key LSN 501 inserted, two moves before
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 700);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(2301));
    }

    @Test
    void aRepeatedKeyBeforeANullInALaterMoveIsTheRecordNamed() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 2500; id++) {
            // LSN 1501 repeats the key of LSN 11; LSN 2201, a move later, has a null where one is refused
            log.add(id == 1500 ? insert(10) : id == 2200
                    ? change(RowChange.Kind.INSERT, id, new Object[] {id, "x", null}, null) : insert(id));
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 700);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(1501));
    }

    @Test
    void aValueTheStageRefusesAfterARepeatedKeyLeavesTheRepeatedKeyNamed() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 2500; id++) {
            // LSN 1201 repeats the key of LSN 501; LSN 2201 has a value too few, which the stage refuses
            log.add(id == 1200 ? insert(500) : id == 2200
                    ? change(RowChange.Kind.INSERT, id, new Object[] {id, "x"}, null) : insert(id));
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 700);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(1201));
    }

    @Test
    void aShortRunOfInsertsAfterAMoveThatEndedABatchStillFindsTheRepeatedKeyFirst() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 1050; id++) {
            // LSN 601 repeats the key of LSN 301; the first batch ends on the move of 1000 rows, and the 50 inserts
            // after it, among them LSN 1011 with a null where none is taken, are too few for a stretch of their own
            log.add(id == 600 ? insert(300) : id == 1010
                    ? change(RowChange.Kind.INSERT, id, new Object[] {id, "x", null}, null) : insert(id));
        }
        assertThatThrownBy(() -> {
            replay.apply(log.subList(0, 1001), 1);
            replay.apply(log.subList(1001, log.size()), 1002);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(601));
    }

    @Test
    void aReplayStoppedByALaterRecordStillNamesAKeyRepeatedInWhatMoved() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 2100; id++) {
            log.add(insert(id == 1500 ? 20 : id)); // LSN 1501 repeats the key of LSN 21; two moves run
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 700);
            replay.stopped(new IllegalStateException("a damaged record")); // as recovery does
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(1501));
    }

    @Test
    void aTableWhoseNameStartsWithKeysReplaysBesideTheTableItNames() throws SQLException {
        TableSchema keysRows = TableSchema.of("keys_rows", Column.key("id", ColumnType.parse("Int64")),
                Column.of("v", ColumnType.parse("Utf8")));
        log.add(new Mutation.CreateTable(ROWS));
        log.add(new Mutation.CreateTable(keysRows));
        for (long id = 1; id <= 2500; id++) {
            log.add(new Mutation.RowChanges(List.of(insert(id).changes().get(0),
                    new RowChange(RowChange.Kind.INSERT, "keys_rows", id, new Object[] {id, "v" + id}, null))));
        }
        replayInBatches(log, 700);
        replay.finish();
        assertThat(count("rows")).isEqualTo(2500);
        assertThat(count("keys_rows")).isEqualTo(2500);
    }

    @Test
    void keyInsertedAgainAfterItsStretchMovedStopsReplayAtThatRecord() {
        log.add(new Mutation.CreateTable(ROWS));
        log.add(new Mutation.CreateTable(OTHER));
        for (long id = 1; id <= 600; id++) {
            log.add(insert(id));
        }
        log.add(change(RowChange.Kind.UPSERT, 5, new Object[] {5L, "x", 1L}, null)); // LSN 603 moves the stretch
        for (long id = 601; id <= 1200; id++) {
            // LSN 1003 puts a row in the second table whose key is there already, LSN 1103 one in the first
            log.add(id == 1000 ? new Mutation.RowChanges(List.of(new RowChange(RowChange.Kind.INSERT, "other", "a",
                    new Object[] {"a", 1L}, null)))
                    : id == 1100 ? insert(7) : id == 700 ? new Mutation.RowChanges(List.of(new RowChange(
                    RowChange.Kind.INSERT, "other", "a", new Object[] {"a", 0L}, null))) : insert(id));
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 5000);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(1003));
    }

    @Test
    void nullInARequiredColumnStopsReplayAtItsRecord() {
        log.add(new Mutation.CreateTable(ROWS));
        for (long id = 1; id <= 900; id++) {
            log.add(id == 650 ? change(RowChange.Kind.INSERT, id, new Object[] {id, "x", null}, null) : insert(id));
        }
        assertThatThrownBy(() -> {
            replayInBatches(log, 5000);
            replay.finish();
        }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(651));
    }

    private void replayInBatches(List<Mutation> mutations, int size) {
        for (int from = 0; from < mutations.size(); from += size) {
            replay.apply(mutations.subList(from, Math.min(mutations.size(), from + size)), from + 1);
        }
    }

    private static Mutation.RowChanges insert(long id) {
        return change(RowChange.Kind.INSERT, id, new Object[] {id, "row-" + id, id % 1000}, null);
    }

    private static Mutation.RowChanges change(RowChange.Kind kind, long id, Object[] values, boolean[] mask) {
        return new Mutation.RowChanges(List.of(new RowChange(kind, "rows", id, values, mask)));
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = store.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = store.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM main." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of a table, by its key as text, as the list of its column values (integers as longs). */
    private Map<String, List<Object>> rows(String table) throws SQLException {
        Map<String, List<Object>> out = new TreeMap<>();
        try (Connection c = store.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM main." + table)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Integer x ? Long.valueOf(x) : v);
                }
                out.put(String.valueOf(row.get(0)), row);
            }
        }
        return out;
    }
}
