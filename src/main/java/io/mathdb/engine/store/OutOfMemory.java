package io.mathdb.engine.store;

import java.util.regex.Pattern;

/**
 * Tells DuckDB's refusals for want of memory from its other refusals, and words them for clients: DuckDB's own text
 * goes on to advise settings ({@code SET memory_limit}) that MathDB's users do not reach.
 */
public final class OutOfMemory {
    private static final Pattern SIGNS =
            Pattern.compile("(?i)out of memory|memory_limit|could not allocate|failed to allocate|failed to pin");

    private OutOfMemory() {
    }

    /** Whether {@code e} or a cause of it is DuckDB running out of the memory it may take. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && SIGNS.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    /** "DuckDB is out of memory (...): " and the first line of DuckDB's message. */
    public static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        int end = message.indexOf('\n');
        return "DuckDB is out of the memory it may take (mathdb.memory.store-limit): "
                + (end < 0 ? message : message.substring(0, end).strip());
    }
}
