package io.mathdb.engine.query;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides whether user SQL may run, before it reaches {@code prepareStatement}: DuckDB executes the first statement of
 * a multi-statement text while preparing it (DUCKDB-NOTES.md), so the text is parsed, never prepared, until it passes.
 *
 * <p>The parse is DuckDB's own: {@code json_serialize_sql(?)} (the text travels as a bound parameter) turns SELECTs
 * into their syntax tree and refuses every other kind of statement. The tree must hold exactly one statement, and
 * nothing in it may
 * <ul>
 *   <li>write: a data-modifying CTE shows up as an {@code INSERT/UPDATE/DELETE_QUERY_NODE} (the read-only transaction
 *       the query runs in would refuse it too);</li>
 *   <li>call a table function other than {@code range}, {@code generate_series} and {@code unnest}: that is how SQL
 *       reaches files ({@code read_csv}, {@code read_parquet}, {@code glob}, {@code read_text}...), other statements
 *       ({@code query}, {@code query_table}) and settings ({@code duckdb_settings});</li>
 *   <li>name a table that is neither a MathDB table nor a CTE of the query: {@code FROM 'file.csv'} is a file read
 *       by replacement scan, and system catalogs are not MathDB's to show;</li>
 *   <li>use DESCRIBE/SHOW/SUMMARIZE, or the few scalar functions that read settings, the environment or sequences.</li>
 * </ul>
 * The file-level lock-down of {@link Lockdown} stays underneath as a second wall.
 */
public final class ReadOnlySql {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** What {@link #shellOf} gives for the wrapper around any query: the same for every query, so parsed once. */
    private static final AtomicReference<JsonNode> SHELL = new AtomicReference<>();
    private static final Set<String> QUERY_NODES = Set.of("SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE",
            "CTE_NODE");
    private static final Set<String> REFUSED_REFS = Set.of("SHOW_REF", "COLUMN_DATA", "DELIM_GET", "BOUND_TABLE_REF");
    private static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("current_setting", "getenv", "getvariable",
            "nextval", "currval", "setseed", "current_schemas", "pragma_version");

    private ReadOnlySql() {
    }

    /**
     * Checks {@code sql} and returns the text to run: the query as a subquery of {@code SELECT * FROM (...)}, which
     * also proves the text is self-contained (a text that breaks out of the parentheses does not parse as exactly
     * the wrapper around one subquery, see {@link #queryInShell}). {@code isTable} says whether a name is a MathDB
     * table.
     *
     * <p>One parse, of the text to run, decides a query that passes (each parse costs ~0.4 ms to prepare and ~0.4 ms
     * to run, most of a small query's time); a text that fails it is parsed alone as well, so the refusal says why.
     */
    public static String check(Connection c, String sql, Predicate<String> isTable) {
        if (sql == null || sql.isBlank()) {
            throw refused("the query is empty; send one SELECT statement in \"sql\"");
        }
        String wrapped = wrap(sql);
        JsonNode query = queryInShell(c, parse(c, wrapped, false), wrapped);
        if (query == null) { // refused: the text alone names what is wrong, if anything
            JsonNode statements = parse(c, sql, true).path("statements");
            if (statements.size() != 1) {
                throw refused("exactly one SELECT statement may run; the text holds " + statements.size());
            }
            checkTree(statements, isTable);
            parse(c, wrapped, true); // a wrapped text that does not parse: DuckDB's words say where
            throw refused("the query must be one self-contained SELECT statement");
        }
        checkTree(query, isTable);
        return wrapped;
    }

    private static String wrap(String sql) {
        String body = sql.strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        // The line breaks end any trailing "--" comment before the closing parenthesis.
        return "SELECT * FROM (\n" + body + "\n)";
    }

    private static void checkTree(JsonNode tree, Predicate<String> isTable) {
        Set<String> ctes = new HashSet<>();
        collectCtes(tree, ctes);
        walk(tree, ctes, isTable);
    }

    /**
     * The user's query, if {@code tree} (the parse of {@code wrapped}) is exactly the wrapper {@link #wrap} puts
     * around one query: its outer statement matches the wrapper's own (every clause, alias and position), the
     * subquery aside, and the subquery reaches the wrapper's closing parenthesis. Null otherwise. The last check
     * catches what the parse leaves out of the tree: a named window nothing uses ({@code SELECT 1) WINDOW w AS (})
     * would otherwise take the wrapper's parenthesis for its own.
     */
    private static JsonNode queryInShell(Connection c, JsonNode tree, String wrapped) {
        if (tree == null) {
            return null;
        }
        JsonNode shell = SHELL.get();
        if (shell == null) {
            shell = shellOf(parse(c, wrap("SELECT 1"), true));
            if (shell == null) {
                throw new MathDbException(ErrorCode.INTERNAL, "DuckDB's parse of the query wrapper has an unexpected "
                        + "shape; read-only SQL cannot be checked");
            }
            SHELL.set(shell);
        }
        if (!shell.equals(shellOf(tree))) {
            return null;
        }
        JsonNode from = tree.path("statements").path(0).path("node").path("from_table");
        long end = from.path("query_location").asLong(-1) + from.path("query_location_length").asLong(-1);
        return end == wrapped.getBytes(StandardCharsets.UTF_8).length ? from.path("subquery") : null;
    }

    /** The outer statement of a parsed wrapper without its subquery (and the subquery's length); null if none. */
    private static JsonNode shellOf(JsonNode tree) {
        JsonNode statements = tree.path("statements");
        if (statements.size() != 1 || !(statements.get(0).path("node") instanceof ObjectNode node)
                || !(node.path("from_table") instanceof ObjectNode from) || !from.has("subquery")) {
            return null;
        }
        // Shallow copies: the subquery, often most of the tree, is left out rather than copied and dropped.
        ObjectNode outerFrom = JSON.createObjectNode();
        outerFrom.setAll(from);
        outerFrom.remove("subquery");
        outerFrom.remove("query_location_length");
        ObjectNode outer = JSON.createObjectNode();
        outer.setAll(node);
        outer.set("from_table", outerFrom);
        return outer;
    }

    /**
     * DuckDB's syntax tree of {@code sql}, or, for text it does not take (not one or more SELECTs, or no valid SQL),
     * a refusal saying so when {@code strict}, and null when not.
     */
    private static JsonNode parse(Connection c, String sql, boolean strict) {
        String json;
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                json = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot parse the query: " + e.getMessage(), e);
        }
        JsonNode tree = JSON.readTree(json);
        if (!tree.path("error").asBoolean(false)) {
            return tree;
        }
        if (!strict) {
            return null;
        }
        String message = tree.path("error_message").asString("");
        if (message.contains("Only SELECT")) {
            throw refused("only a SELECT statement may run here; writes, DDL, COPY, ATTACH, SET, PRAGMA, "
                    + "INSTALL and LOAD are refused");
        }
        throw new MathDbException(ErrorCode.INVALID_SQL, "the query does not parse: " + message);
    }

    private static void collectCtes(JsonNode node, Set<String> ctes) {
        if (node.isObject()) {
            JsonNode map = node.path("cte_map").path("map");
            for (JsonNode entry : map) {
                ctes.add(entry.path("key").asString("").toLowerCase(Locale.ROOT));
            }
        }
        for (JsonNode child : node) {
            collectCtes(child, ctes);
        }
    }

    private static void walk(JsonNode node, Set<String> ctes, Predicate<String> isTable) {
        if (node.isObject()) {
            String type = node.path("type").asString("");
            if (type.endsWith("_NODE") && !QUERY_NODES.contains(type) && !type.equals("ORDER_MODIFIER")) {
                throw refused("the query writes (" + type.replace("_QUERY_NODE", "").replace("_NODE", "")
                        + "); only reads may run");
            }
            if (REFUSED_REFS.contains(type)) {
                throw refused("DESCRIBE, SHOW and SUMMARIZE are not available here; GET /tables describes tables");
            }
            if (type.equals("TABLE_FUNCTION")) {
                String fn = node.path("function").path("function_name").asString("").toLowerCase(Locale.ROOT);
                if (!TABLE_FUNCTIONS.contains(fn)) {
                    throw refused("table function '" + fn + "' is not allowed: queries read MathDB tables only "
                            + "(allowed table functions: range, generate_series, unnest)");
                }
            }
            if (type.equals("BASE_TABLE")) {
                checkTable(node, ctes, isTable);
            }
            if (node.has("function_name") && node.path("class").asString("").equals("FUNCTION")) {
                String fn = node.path("function_name").asString("").toLowerCase(Locale.ROOT);
                if (REFUSED_FUNCTIONS.contains(fn)) {
                    throw refused("function '" + fn + "' is not allowed here");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                walk(it.next().getValue(), ctes, isTable);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                walk(child, ctes, isTable);
            }
        }
    }

    private static void checkTable(JsonNode ref, Set<String> ctes, Predicate<String> isTable) {
        String catalog = ref.path("catalog_name").asString("");
        String schema = ref.path("schema_name").asString("");
        String name = ref.path("table_name").asString("");
        boolean plain = (catalog.isEmpty() || catalog.equalsIgnoreCase("memory"))
                && (schema.isEmpty() || schema.equalsIgnoreCase("main"));
        if (catalog.isEmpty() && schema.isEmpty() && ctes.contains(name.toLowerCase(Locale.ROOT))) {
            return;
        }
        if (!plain || !isTable.test(name)) {
            String full = (catalog.isEmpty() ? "" : catalog + ".") + (schema.isEmpty() ? "" : schema + ".") + name;
            throw refused("'" + full + "' is not a MathDB table; queries read MathDB tables only");
        }
    }

    private static MathDbException refused(String message) {
        return new MathDbException(ErrorCode.QUERY_REFUSED, message);
    }
}
