package io.mathdb.engine.query;

import io.mathdb.engine.query.RowQuery.Item;
import io.mathdb.engine.query.RowQuery.Order;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.Names;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * SQL for a {@link RowQuery}. The only text taken from a request is column and table names, and only as they are
 * spelled in the schema (never as the user typed them), always quoted; every value is a bound parameter.
 *
 * @param sql    the statement text, with {@code ?} placeholders
 * @param params one value per placeholder, in the form {@link Binder#bind} takes
 */
public record RowSql(String sql, List<Object> params) {

    /**
     * The rows of {@code query}. With {@code stableOrder} a plain read is ordered by the primary key after any
     * explicit keys, so pages neither overlap nor skip; an aggregate without an order is ordered by its groups.
     */
    public static RowSql select(RowQuery query, boolean stableOrder) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(items(query)).append(" FROM ")
                .append(table(query));
        where(query, sql, params);
        groupBy(query, sql);
        String order = orderBy(query, stableOrder);
        if (!order.isEmpty()) {
            sql.append(" ORDER BY ").append(order);
        }
        if (query.limit() != null) {
            sql.append(" LIMIT ?");
            params.add(query.limit());
        }
        if (query.offset() > 0) {
            sql.append(" OFFSET ?");
            params.add(query.offset());
        }
        return new RowSql(sql.toString(), List.copyOf(params));
    }

    /** How many rows {@code query} would give without paging: matching rows, or groups for an aggregate. */
    public static RowSql count(RowQuery query) {
        List<Object> params = new ArrayList<>();
        StringBuilder inner = new StringBuilder("SELECT ");
        List<Item> groups = query.select().stream().filter(i -> !i.isAggregate()).toList();
        boolean grouped = query.hasAggregates() && !groups.isEmpty();
        inner.append(grouped ? groupColumns(query) : "1").append(" FROM ").append(table(query));
        where(query, inner, params);
        groupBy(query, inner);
        String sql = query.hasAggregates() && !grouped ? "SELECT 1"  // one row of aggregates over everything
                : "SELECT count(*) FROM (" + inner + ")";
        return new RowSql(sql, query.hasAggregates() && !grouped ? List.of() : List.copyOf(params));
    }

    private static String table(RowQuery query) {
        return "main." + Names.quote(query.table().name());
    }

    private static String items(RowQuery query) {
        if (query.select().isEmpty()) {
            StringJoiner all = new StringJoiner(", ");
            for (Column c : query.table().columns()) {
                all.add(Names.quote(c.name()));
            }
            return all.toString();
        }
        StringJoiner items = new StringJoiner(", ");
        for (Item item : query.select()) {
            String expr = item.column() == null ? null : Names.quote(item.column().name());
            if (item.isAggregate()) {
                expr = switch (item.aggregate()) {
                    case COUNT -> expr == null ? "count(*)" : "count(" + expr + ")";
                    case SUM -> "sum(" + expr + ")";
                    case AVG -> "avg(" + expr + ")";
                    case MIN -> "min(" + expr + ")";
                    case MAX -> "max(" + expr + ")";
                };
            }
            // item names were checked against [A-Za-z_][A-Za-z0-9_]* (aliases) or come from the schema
            items.add(expr + " AS " + Names.quote(item.name()));
        }
        return items.toString();
    }

    private static void where(RowQuery query, StringBuilder sql, List<Object> params) {
        if (query.where() != null) {
            sql.append(" WHERE ").append(condition(query.where(), params));
        }
    }

    private static void groupBy(RowQuery query, StringBuilder sql) {
        if (query.hasAggregates()) {
            String groups = groupColumns(query);
            if (!groups.isEmpty()) {
                sql.append(" GROUP BY ").append(groups);
            }
        }
    }

    private static String groupColumns(RowQuery query) {
        StringJoiner groups = new StringJoiner(", ");
        for (Item item : query.select()) {
            if (!item.isAggregate()) {
                groups.add(Names.quote(item.column().name()));
            }
        }
        return groups.toString();
    }

    private static String orderBy(RowQuery query, boolean stableOrder) {
        StringJoiner keys = new StringJoiner(", ");
        for (Order o : query.order()) {
            keys.add(Names.quote(o.column().name()) + (o.descending() ? " DESC" : " ASC")
                    + (o.nullsFirst() ? " NULLS FIRST" : " NULLS LAST"));
        }
        if (!stableOrder) {
            return keys.toString();
        }
        if (query.hasAggregates()) {
            return keys.length() == 0 ? groupColumns(query) : keys.toString();
        }
        // The key breaks ties, so rows that sort equal come in the same order on every page.
        Column key = query.table().key();
        if (query.order().stream().noneMatch(o -> o.column().equals(key))) {
            keys.add(Names.quote(key.name()) + " ASC");
        }
        return keys.toString();
    }

    static String condition(Condition condition, List<Object> params) {
        if (condition instanceof Condition.Compare c) {
            params.add(bindable(c.value()));
            return Names.quote(c.column().name()) + " " + c.op().sql() + " " + placeholder(c.column(), c.value());
        }
        if (condition instanceof Condition.In in) {
            if (in.values().isEmpty()) {
                return "FALSE";
            }
            StringJoiner list = new StringJoiner(", ", "(", ")");
            for (Object v : in.values()) {
                params.add(bindable(v));
                list.add(placeholder(in.column(), v));
            }
            return Names.quote(in.column().name()) + " IN " + list;
        }
        if (condition instanceof Condition.IsTest is) {
            return Names.quote(is.column().name()) + " IS " + is.what().name();
        }
        if (condition instanceof Condition.Not not) {
            return "NOT (" + condition(not.condition(), params) + ")";
        }
        if (condition instanceof Condition.And and) {
            return join(and.conditions(), " AND ", params);
        }
        return join(((Condition.Or) condition).conditions(), " OR ", params);
    }

    private static String join(List<Condition> conditions, String op, List<Object> params) {
        StringJoiner j = new StringJoiner(op, "(", ")");
        for (Condition c : conditions) {
            j.add(condition(c, params));
        }
        return j.toString();
    }

    /**
     * A placeholder typed as the column: values JDBC has no exact setter for travel as text and are cast by DuckDB,
     * which parses them exactly (no binary floating point on the way).
     */
    private static String placeholder(Column column, Object value) {
        if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof BigDecimal
                || value instanceof BigInteger) {
            return "CAST(? AS " + column.type().duckType() + ")";
        }
        return "?";
    }

    private static Object bindable(Object value) {
        return value instanceof LocalDateTime || value instanceof LocalDate || value instanceof BigDecimal
                || value instanceof BigInteger ? WireText.of(value) : value;
    }
}
