package io.mathdb.engine.query;

import io.mathdb.engine.schema.Column;
import java.util.List;

/**
 * A row filter, typed: every value already has its column's canonical Java class (see
 * {@link io.mathdb.engine.schema.ColumnType#coerce}), so it is bound as a parameter and never becomes SQL text.
 */
public sealed interface Condition {

    /** The comparison operators of the PostgREST grammar. */
    enum Op {
        EQ("="), NEQ("<>"), GT(">"), GTE(">="), LT("<"), LTE("<="), LIKE("LIKE"), ILIKE("ILIKE");

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    /** What {@code is.} tests for. */
    enum Is { NULL, TRUE, FALSE }

    /** {@code column op value}; for LIKE and ILIKE the value is the SQL pattern ({@code *} already turned into {@code %}). */
    record Compare(Column column, Op op, Object value) implements Condition {
    }

    /** {@code column IN (values)}; an empty list matches no row. */
    record In(Column column, List<Object> values) implements Condition {
    }

    record IsTest(Column column, Is what) implements Condition {
    }

    record Not(Condition condition) implements Condition {
    }

    record And(List<Condition> conditions) implements Condition {
    }

    record Or(List<Condition> conditions) implements Condition {
    }
}
