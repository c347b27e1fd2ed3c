package io.mathdb.engine.schema;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Table and column names: plain identifiers of letters, digits and underscores, not starting with a digit, at most
 * 63 characters, compared without regard to case. Validated names are the only text from users that reaches SQL,
 * and always quoted, so they can neither break out of an identifier nor reach a file path.
 */
public final class Names {
    public static final int MAX_LENGTH = 63;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * SQL reserved words (DuckDB's reserved keywords) and the words the HTTP read grammar uses as query parameters:
     * a column named {@code order} or {@code limit} could not be filtered on by URL.
     */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "default", "deferrable", "desc", "describe",
            "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group",
            "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "not", "null", "offset",
            "on", "only", "or", "order", "pivot", "pivot_longer", "pivot_wider", "placing", "primary", "qualify",
            "references", "returning", "select", "show", "some", "summarize", "symmetric", "table", "then", "to",
            "trailing", "true", "union", "unique", "unpivot", "using", "variadic", "when", "where", "window", "with",
            "rowid", "on_conflict", "columns", "durability", "format");

    private Names() {
    }

    /** Returns {@code name} if it is a valid identifier, else fails saying what is wrong with it. */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw invalid(what + " name is required");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid(what + " name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            throw invalid(what + " name '" + name + "' must consist of letters, digits and underscores and must not "
                    + "start with a digit");
        }
        if (RESERVED.contains(key(name))) {
            throw invalid(what + " name '" + name + "' is a reserved word");
        }
        return name;
    }

    /** The case-folded form under which names are unique. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** A checked name as a quoted SQL identifier. */
    public static String quote(String checkedName) {
        return '"' + checkedName + '"';
    }

    private static MathDbException invalid(String message) {
        return new MathDbException(ErrorCode.INVALID_NAME, message);
    }
}
