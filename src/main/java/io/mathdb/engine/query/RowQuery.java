package io.mathdb.engine.query;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.TableSchema;
import java.util.List;

/**
 * A parsed, schema-checked read of one table: which columns or aggregates, which rows, in which order, which page.
 * Built by {@link RowQueryParser} from PostgREST-style parameters; turned into SQL by {@link RowSql}.
 *
 * @param select  the output columns; empty means every column of the table in table order
 * @param where   the filter, or null for every row
 * @param order   sort keys, in order; empty means the primary key for plain reads (stable pages) and the grouping
 *                columns for aggregates
 * @param limit   at most this many rows, or null for all of them
 * @param offset  rows skipped first
 */
public record RowQuery(TableSchema table, List<Item> select, Condition where, List<Order> order, Long limit,
                       long offset) {

    public RowQuery {
        select = List.copyOf(select);
        order = List.copyOf(order);
    }

    /** Aggregate functions of {@code select}. */
    public enum Aggregate { COUNT, SUM, AVG, MIN, MAX }

    /**
     * One output column: a table column, or an aggregate of one ({@code column} null for {@code count()}), under
     * {@code name} in the answer.
     */
    public record Item(String name, Column column, Aggregate aggregate) {
        public boolean isAggregate() {
            return aggregate != null;
        }
    }

    /** A sort key; {@code nullsFirst} is always explicit (PostgreSQL's defaults are filled in by the parser). */
    public record Order(Column column, boolean descending, boolean nullsFirst) {
    }

    public boolean hasAggregates() {
        return select.stream().anyMatch(Item::isAggregate);
    }

    /** The same query without paging, e.g. for a count of every matching row. */
    public RowQuery withLimit(Long newLimit) {
        return new RowQuery(table, select, where, order, newLimit, offset);
    }
}
