package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.query.RowSink;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** The {@code items} table the tests of copies and of the writer's backlog share, and their helpers. */
final class Items {
    static final TableSchema ITEMS = TableSchema.of("items", Column.key("id", ColumnType.parse("Int64")),
            Column.of("label", ColumnType.parse("Utf8")), Column.of("qty", ColumnType.parse("Int32")));

    private Items() {
    }

    static List<Map<String, Object>> rows(long from, long to) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(row(id, "item-" + id, id % 100));
        }
        return rows;
    }

    static Map<String, Object> row(long id, String label, long qty) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("label", label);
        row.put("qty", qty);
        return row;
    }

    /** Inserts rows {@code key-0} to {@code key-<count - 1>} into a table keyed by Utf8 {@code name}, 500 at a time. */
    static void insertTextKeys(Table named, int count) {
        for (int from = 0; from < count; from += 500) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 500); i++) {
                rows.add(Map.of("name", "key-" + i, "n", i));
            }
            named.insert(rows, OnConflict.ERROR, Durability.DEFAULT);
        }
    }

    /** A table of {@code rows} items, read by key once, whose copy is live. */
    static Table copiedItems(Database db, int rows) {
        Table items = db.create(ITEMS);
        items.insert(rows(0, rows), OnConflict.ERROR, Durability.DEFAULT);
        items.get(0L);
        awaitCopy(db, rows);
        return items;
    }

    /** The rows DuckDB answers {@code sql} with. */
    static List<Object[]> sql(Database db, String sql, Object... params) {
        List<Object[]> rows = new ArrayList<>();
        db.queries().sql(sql, List.of(params), null, Long.MAX_VALUE, new RowSink() {
            @Override
            public void start(Header header) {
            }

            @Override
            public void row(Object[] values) {
                rows.add(values);
            }

            @Override
            public void end(boolean truncated) {
            }
        });
        return rows;
    }

    static void awaitCopy(Database db, long rows) {
        awaitCopy(db, () -> db.status().mirrorRows() == rows ? 1 : 0);
    }

    /** Waits for the copy, built on a thread of its own, to go live (there is nothing to call that builds it). */
    static void awaitCopy(Database db, LongSupplier live) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (live.getAsLong() == 0) {
            assertThat(System.nanoTime()).as("copy live within a minute").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
