package io.mathdb.engine.query;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.StringJoiner;

/**
 * Locks the database's file access down before any user SQL can run, database-wide and for good.
 *
 * <p>DuckDB's switches are per database, not per connection, and the engine needs files itself: snapshots are
 * written with {@code COPY ... TO} into {@code snapshots/} and read back with {@code read_parquet} at start-up, and
 * Parquet answers and exports are {@code COPY}'d into {@code tmp/} before they are streamed. So:
 * <ol>
 *   <li>{@code allowed_directories} is exactly those two directories (it must be set before external access is
 *       turned off);</li>
 *   <li>{@code enable_external_access=false}: every file outside them, every ATTACH of a file, INSTALL and LOAD are
 *       refused;</li>
 *   <li>{@code lock_configuration=true}: no SET or RESET can undo 1 and 2, from any connection.</li>
 * </ol>
 * That leaves the two directories reachable by DuckDB, and so in principle by SQL; user SQL never gets there because
 * {@link ReadOnlySql} admits only one SELECT with no table function that reads files, no COPY, no ATTACH and no
 * table that is not a MathDB table. The two walls are independent: either alone stops {@code read_csv('/etc/passwd')}.
 */
public final class Lockdown {
    private Lockdown() {
    }

    public static void apply(Connection c, List<Path> allowedDirectories) {
        StringJoiner dirs = new StringJoiner(", ", "[", "]");
        for (Path dir : allowedDirectories) {
            String text = dir.toAbsolutePath().normalize() + "/";
            dirs.add("'" + text.replace("'", "''") + "'");
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET allowed_directories = " + dirs);
            st.execute("SET enable_external_access = false");
            st.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot lock DuckDB's file access down: " + e.getMessage(), e);
        }
    }
}
