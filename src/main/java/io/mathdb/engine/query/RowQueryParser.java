package io.mathdb.engine.query;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.query.Condition.Op;
import io.mathdb.engine.query.RowQuery.Aggregate;
import io.mathdb.engine.query.RowQuery.Item;
import io.mathdb.engine.query.RowQuery.Order;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.schema.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads PostgREST-style query parameters into a {@link RowQuery} checked against the table's schema.
 *
 * <pre>
 * filter   = column "=" ["not."] (op "." value | "in.(" list ")" | "is." ("null"|"true"|"false"))
 * op       = "eq" | "neq" | "gt" | "gte" | "lt" | "lte" | "like" | "ilike"      (like: "*" is the wildcard)
 * logic    = ("or" | "and" | "not.or" | "not.and") "=(" term ("," term)* ")"
 * term     = column "." ["not."] (op "." tvalue | "in.(" list ")" | "is." ...) | ["not."] ("or"|"and") "(" term ("," term)* ")"
 * tvalue   = '"' chars with \" and \\ escapes '"' | chars up to the next "," or ")"
 * list     = [tvalue ("," tvalue)*]
 * select   = item ("," item)*      item = "*" | [alias ":"] (column ["." agg "()"] | "count()")
 * agg      = "count" | "sum" | "avg" | "min" | "max"         (plain columns next to aggregates are grouped by)
 * order    = key ("," key)*         key = column ["." ("asc"|"desc")] ["." ("nullsfirst"|"nullslast")]
 * limit, offset = non-negative integers
 * </pre>
 *
 * Every value is typed by its column here (a bad one is refused naming the parameter), so SQL only ever sees bound
 * parameters and quoted names taken from the schema. Several filters are ANDed.
 */
public final class RowQueryParser {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> LOGIC = Set.of("or", "and", "not.or", "not.and");

    private RowQueryParser() {
    }

    /**
     * Parses {@code params} (name to its values, in the order given) for {@code table}. Parameters named in
     * {@code ignored} belong to the caller (e.g. an export's {@code format}); {@code defaultLimit} applies when no
     * {@code limit} is given (null: no limit).
     */
    public static RowQuery parse(TableSchema table, Map<String, List<String>> params, Set<String> ignored,
                                 Long defaultLimit) {
        List<Condition> conditions = new ArrayList<>();
        List<Item> select = List.of();
        List<Order> order = List.of();
        Long limit = defaultLimit;
        long offset = 0;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            if (ignored.contains(name)) {
                continue;
            }
            switch (name) {
                case "select" -> select = parseSelect(table, single(name, values));
                case "order" -> order = parseOrder(table, single(name, values));
                case "limit" -> limit = nonNegative(name, single(name, values));
                case "offset" -> offset = nonNegative(name, single(name, values));
                default -> {
                    for (String value : values) {
                        conditions.add(LOGIC.contains(name) ? parseLogic(table, name, value)
                                : parseFilter(table, name, value));
                    }
                }
            }
        }
        Condition where = conditions.isEmpty() ? null
                : conditions.size() == 1 ? conditions.get(0) : new Condition.And(conditions);
        checkGrouping(select, order);
        return new RowQuery(table, select, where, order, limit, offset);
    }

    // ---- filters ----

    private static Condition parseFilter(TableSchema table, String name, String value) {
        String param = name + "=" + value;
        Column column = column(table, name, param);
        Cursor c = new Cursor(value, param, false);
        Condition condition = operation(table, column, c);
        c.expectEnd();
        return condition;
    }

    private static Condition parseLogic(TableSchema table, String name, String value) {
        String param = name + "=" + value;
        Cursor c = new Cursor(value, param, true);
        boolean negate = name.startsWith("not.");
        Condition group = group(table, name.endsWith("or"), c);
        c.expectEnd();
        return negate ? new Condition.Not(group) : group;
    }

    /** {@code ( term , term ... )} as an AND or OR. */
    private static Condition group(TableSchema table, boolean or, Cursor c) {
        c.expect('(');
        List<Condition> terms = new ArrayList<>();
        do {
            terms.add(term(table, c));
        } while (c.accept(','));
        c.expect(')');
        return or ? new Condition.Or(terms) : new Condition.And(terms);
    }

    private static Condition term(TableSchema table, Cursor c) {
        boolean negate = c.acceptWord("not.");
        if (c.acceptWord("or(") || c.acceptWord("and(")) {
            boolean or = c.previousWord().startsWith("or");
            c.back(1);
            Condition group = group(table, or, c);
            return negate ? new Condition.Not(group) : group;
        }
        String name = c.until('.');
        c.expect('.');
        Column column = column(table, name, c.param());
        Condition condition = operation(table, column, c);
        return negate ? new Condition.Not(condition) : condition;
    }

    /** {@code [not.] op.value}, {@code in.(...)} or {@code is.x} applied to {@code column}. */
    private static Condition operation(TableSchema table, Column column, Cursor c) {
        if (c.acceptWord("not.")) {
            return new Condition.Not(operation(table, column, c));
        }
        String opName = c.until('.');
        c.expect('.');
        String op = opName.toLowerCase(Locale.ROOT);
        switch (op) {
            case "in" -> {
                c.expect('(');
                List<Object> values = new ArrayList<>();
                if (!c.accept(')')) {
                    do {
                        values.add(typed(column, c.listValue(), c.param()));
                    } while (c.accept(','));
                    c.expect(')');
                }
                return new Condition.In(column, values);
            }
            case "is" -> {
                String what = c.value().toLowerCase(Locale.ROOT);
                switch (what) {
                    case "null" -> {
                        return new Condition.IsTest(column, Condition.Is.NULL);
                    }
                    case "true", "false" -> {
                        if (column.type().kind() != TypeKind.BOOLEAN) {
                            throw filter(c.param(), "is." + what + " needs a Boolean column; '" + column.name()
                                    + "' is " + column.type().name());
                        }
                        return new Condition.IsTest(column, what.equals("true") ? Condition.Is.TRUE
                                : Condition.Is.FALSE);
                    }
                    default -> throw filter(c.param(), "is. takes null, true or false, not '" + what + "'");
                }
            }
            case "eq", "neq", "gt", "gte", "lt", "lte" -> {
                Op operator = Op.valueOf(op.toUpperCase(Locale.ROOT));
                return new Condition.Compare(column, operator, typed(column, c.value(), c.param()));
            }
            case "like", "ilike" -> {
                if (column.type().kind() != TypeKind.UTF8) {
                    throw filter(c.param(), op + " needs a Utf8 column; '" + column.name() + "' is "
                            + column.type().name());
                }
                return new Condition.Compare(column, op.equals("like") ? Op.LIKE : Op.ILIKE,
                        c.value().replace('*', '%'));
            }
            default -> throw filter(c.param(), "unknown operator '" + opName
                    + "'; expected eq neq gt gte lt lte like ilike in is, optionally after not.");
        }
    }

    /** A filter value as its column's canonical value, or an error naming the parameter. */
    static Object typed(Column column, String raw, String param) {
        Object loose;
        try {
            loose = switch (column.type().kind()) {
                case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> new BigInteger(raw);
                case FLOAT32, FLOAT64 -> new BigDecimal(raw);
                case BOOLEAN -> switch (raw.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw filter(param, "column '" + column.name() + "' (Boolean) expects true or "
                            + "false, got \"" + raw + "\"");
                };
                default -> raw;
            };
        } catch (NumberFormatException e) {
            throw filter(param, "column '" + column.name() + "' (" + column.type().name() + ") expects a number, got \""
                    + raw + "\"");
        }
        try {
            return column.type().coerce(loose, column.name());
        } catch (MathDbException e) {
            throw filter(param, e.getMessage());
        }
    }

    // ---- select, order, paging ----

    private static List<Item> parseSelect(TableSchema table, String value) {
        String param = "select=" + value;
        List<Item> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String part : value.split(",", -1)) {
            String text = part.trim();
            if (text.equals("*")) {
                for (Column column : table.columns()) {
                    items.add(new Item(column.name(), column, null));
                }
                continue;
            }
            String alias = null;
            int colon = text.indexOf(':');
            if (colon >= 0) {
                alias = text.substring(0, colon);
                text = text.substring(colon + 1);
                if (!ALIAS.matcher(alias).matches()) {
                    throw parameter(param, "alias '" + alias + "' must be letters, digits and underscores");
                }
            }
            Item item;
            if (text.endsWith("()")) {
                int dot = text.lastIndexOf('.');
                String fn = text.substring(dot + 1, text.length() - 2).toLowerCase(Locale.ROOT);
                Aggregate aggregate = switch (fn) {
                    case "count" -> Aggregate.COUNT;
                    case "sum" -> Aggregate.SUM;
                    case "avg" -> Aggregate.AVG;
                    case "min" -> Aggregate.MIN;
                    case "max" -> Aggregate.MAX;
                    default -> throw parameter(param, "unknown aggregate '" + fn + "()'; expected count sum avg min max");
                };
                Column column = dot < 0 ? null : column(table, text.substring(0, dot), param);
                if (column == null && aggregate != Aggregate.COUNT) {
                    throw parameter(param, fn + "() needs a column, as in age." + fn + "()");
                }
                if ((aggregate == Aggregate.SUM || aggregate == Aggregate.AVG) && !numeric(column)) {
                    throw parameter(param, fn + "() needs a numeric column; '" + column.name() + "' is "
                            + column.type().name());
                }
                item = new Item(alias != null ? alias : fn, column, aggregate);
            } else {
                if (text.isEmpty()) {
                    throw parameter(param, "an empty item");
                }
                Column column = column(table, text, param);
                item = new Item(alias != null ? alias : column.name(), column, null);
            }
            if (!names.add(item.name().toLowerCase(Locale.ROOT))) {
                throw parameter(param, "two output columns are named '" + item.name()
                        + "'; give one an alias, as in avg_age:age.avg()");
            }
            items.add(item);
        }
        return items;
    }

    private static List<Order> parseOrder(TableSchema table, String value) {
        String param = "order=" + value;
        List<Order> keys = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String[] bits = part.trim().split("\\.", -1);
            Column column = column(table, bits[0], param);
            Boolean descending = null;
            Boolean nullsFirst = null;
            for (int i = 1; i < bits.length; i++) {
                switch (bits[i].toLowerCase(Locale.ROOT)) {
                    case "asc" -> descending = set(descending, false, param);
                    case "desc" -> descending = set(descending, true, param);
                    case "nullsfirst" -> nullsFirst = set(nullsFirst, true, param);
                    case "nullslast" -> nullsFirst = set(nullsFirst, false, param);
                    default -> throw parameter(param, "unknown ordering '" + bits[i]
                            + "'; expected asc, desc, nullsfirst or nullslast");
                }
            }
            boolean desc = descending != null && descending;
            // PostgreSQL's defaults, which PostgREST users expect: nulls sort as if larger than any value
            keys.add(new Order(column, desc, nullsFirst != null ? nullsFirst : desc));
        }
        return keys;
    }

    /** With aggregates, every sort key must be a grouping column. */
    private static void checkGrouping(List<Item> select, List<Order> order) {
        if (select.stream().noneMatch(Item::isAggregate)) {
            return;
        }
        for (Order o : order) {
            boolean grouped = select.stream().anyMatch(i -> !i.isAggregate() && i.column().equals(o.column()));
            if (!grouped) {
                throw parameter("order", "with aggregates, rows can only be ordered by the plain columns of select; '"
                        + o.column().name() + "' is not one of them");
            }
        }
    }

    private static Boolean set(Boolean previous, boolean value, String param) {
        if (previous != null) {
            throw parameter(param, "a sort key has two directions or two null orders");
        }
        return value;
    }

    private static boolean numeric(Column column) {
        return switch (column.type().kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT32, FLOAT64, DECIMAL -> true;
            default -> false;
        };
    }

    private static long nonNegative(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw parameter(name + "=" + value, name + " must be a non-negative integer");
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw parameter(name, "'" + name + "' is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    private static Column column(TableSchema table, String name, String param) {
        int i = table.indexOf(name);
        if (i < 0) {
            throw new MathDbException(ErrorCode.UNKNOWN_COLUMN, "query parameter '" + param + "': table '"
                    + table.name() + "' has no column '" + name + "'");
        }
        return table.columns().get(i);
    }

    static MathDbException filter(String param, String message) {
        return new MathDbException(ErrorCode.INVALID_FILTER, "query parameter '" + param + "': " + message);
    }

    static MathDbException parameter(String param, String message) {
        return new MathDbException(ErrorCode.INVALID_PARAMETER, "query parameter '" + param + "': " + message);
    }

    /** Reads a filter text left to right; inside logic trees values end at "," or ")" unless double-quoted. */
    private static final class Cursor {
        private final String text;
        private final String param;
        private final boolean nested;
        private int pos;
        private String lastWord = "";

        Cursor(String text, String param, boolean nested) {
            this.text = text;
            this.param = param;
            this.nested = nested;
        }

        String param() {
            return param;
        }

        boolean accept(char ch) {
            if (pos < text.length() && text.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char ch) {
            if (!accept(ch)) {
                throw filter(param, "expected '" + ch + "' at position " + pos
                        + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ", found the end"));
            }
        }

        boolean acceptWord(String word) {
            if (text.regionMatches(true, pos, word, 0, word.length())) {
                pos += word.length();
                lastWord = word;
                return true;
            }
            return false;
        }

        String previousWord() {
            return lastWord;
        }

        void back(int n) {
            pos -= n;
        }

        /** Text up to (not including) {@code stop}; it must be there. */
        String until(char stop) {
            int end = text.indexOf(stop, pos);
            if (end < 0) {
                throw filter(param, "expected '" + stop + "' after position " + pos);
            }
            String word = text.substring(pos, end);
            pos = end;
            return word;
        }

        /** An operator's value: the rest of the text at top level, up to "," or ")" (or quoted) inside a tree. */
        String value() {
            if (!nested) {
                String rest = text.substring(pos);
                pos = text.length();
                return rest;
            }
            return listValue();
        }

        /** One value of an {@code in} list or logic tree. */
        String listValue() {
            if (accept('"')) {
                StringBuilder b = new StringBuilder();
                while (pos < text.length()) {
                    char ch = text.charAt(pos++);
                    if (ch == '"') {
                        return b.toString();
                    }
                    if (ch == '\\' && pos < text.length()) {
                        ch = text.charAt(pos++);
                    }
                    b.append(ch);
                }
                throw filter(param, "a quoted value is not closed");
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')') {
                pos++;
            }
            return text.substring(start, pos);
        }

        void expectEnd() {
            if (pos != text.length()) {
                throw filter(param, "unexpected '" + text.substring(pos) + "' at position " + pos);
            }
        }
    }
}
