package io.mathdb.engine.query;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A table with a column of every MathDB type and six rows, some of them null, shared by the read-path tests. */
final class People {
    static final TableSchema SCHEMA = TableSchema.of("people",
            Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")),
            Column.of("age", ColumnType.parse("Int32")),
            Column.of("score", ColumnType.parse("Float64")),
            Column.of("active", ColumnType.parse("Boolean")),
            Column.of("born", ColumnType.parse("Date")),
            Column.of("seen", ColumnType.parse("Datetime")),
            Column.of("price", ColumnType.parse("Decimal(10,2)")),
            Column.of("big", ColumnType.parse("UInt64")),
            Column.of("data", ColumnType.parse("Binary")),
            Column.of("team", ColumnType.parse("Utf8")));

    private People() {
    }

    static void load(Database db) {
        db.create(SCHEMA);
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(1, "Alice", 30, 1.5, true, "1994-01-31", "2024-01-31T12:00:00", "10.50", "18446744073709551615", "AQID", "red"));
        rows.add(row(2, "Bob", 17, 2.5, false, "2007-05-01", "2024-02-01T08:30:00.123456", "0.99", "1", "BAU=", "blue"));
        rows.add(row(3, "Carol", 70, null, true, "1954-12-24", null, "123.00", "42", null, "red"));
        rows.add(row(4, "Dave", null, 4.0, null, null, "2023-12-31T23:59:59.999999", null, null, "", "blue"));
        rows.add(row(5, "anna", 45, -1.0, false, "1979-07-07", "2024-01-01T00:00:00", "-5.25", "0", "AA==", "green"));
        rows.add(row(6, "Eve, \"the\" spy", 17, 0.0, true, "2007-05-01", "2024-03-01T10:00:00", "1.00", "7", "/w==", null));
        db.table("people").insert(rows, OnConflict.ERROR, Durability.DEFAULT);
    }

    private static Map<String, Object> row(long id, String name, Integer age, Double score, Boolean active, String born,
                                           String seen, String price, String big, String data, String team) {
        Map<String, Object> r = new HashMap<>();
        r.put("id", id);
        r.put("name", name);
        r.put("age", age);
        r.put("score", score == null ? null : BigDecimal.valueOf(score));
        r.put("active", active);
        r.put("born", born);
        r.put("seen", seen);
        r.put("price", price);
        r.put("big", big == null ? null : new java.math.BigInteger(big));
        r.put("data", data);
        r.put("team", team);
        return r;
    }
}
