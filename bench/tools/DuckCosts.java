import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB costs bench/ANALYSIS.md quotes as "measured alone", each as the CPU time of this process (DuckDB's
 * worker threads included) per operation, through the JDBC driver MathDB embeds, on the benchmark table's shape
 * (id BIGINT PRIMARY KEY, name VARCHAR, age INTEGER):
 *   - a trivial query, a one-key lookup and IN lists of 16..256 keys on a 1M-row table (W3);
 *   - an upsert group as MathDB applies it (appender into a stage, INSERT ... ON CONFLICT DO UPDATE, empty the
 *     stage, in one transaction) of 16 and 64 rows, with DuckDB's default threads and with one (W2);
 *   - an insert group of 8 and 32 rows through the appender with and without BEGIN/COMMIT (W1);
 *   - 10k-row appender batches into a table with and without its primary key (W4's backlog);
 *   - a 2000-row {@code UPDATE ... FROM} a stage on a 1M-row table filled by one INSERT, and on one filled by
 *     5000-row INSERTs, as MathDB's tables are (W2);
 *   - {@code UPDATE ... FROM} batches of 1000 to 12000 rows on a 1M-row keyless table filled by appends (W2's backlog);
 *   - a Parquet COPY of 10M rows with the old and the current snapshot options (W9).
 * Usage: java -cp duckdb_jdbc.jar DuckCosts.java     (takes about a minute; the figures are noisy on a shared machine)
 */
public class DuckCosts {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Random RANDOM = new Random(1);

    interface Op {
        void run(int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR, age INTEGER)");
            s.execute("INSERT INTO t SELECT i, 'n' || lpad(i::VARCHAR, 9, '0'), (i % 100)::INTEGER FROM range(1000000) r(i)");
            lookups(c);
            upserts(c, s);
            inserts(c, s);
            appendsByKey(c, s);
            updatesByHowFilled(c, s);
            updatesByBatchSize(c, s);
            snapshots(s);
        }
    }

    private static void lookups(DuckDBConnection c) throws Exception {
        try (Connection reader = c.duplicate()) {
            PreparedStatement trivial = reader.prepareStatement("SELECT 1 WHERE ? > 0");
            report("trivial query", 1, 3000, i -> {
                trivial.setLong(1, 1);
                drain(trivial);
            });
            for (int n : new int[] {1, 16, 32, 64, 256}) {
                StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (?");
                sql.append(",?".repeat(n - 1)).append(')');
                PreparedStatement ps = reader.prepareStatement(sql.toString());
                report("lookup of " + n + " key(s) in one IN", n, Math.max(200, 3000 / n), i -> {
                    for (int k = 1; k <= n; k++) {
                        ps.setLong(k, RANDOM.nextInt(1_000_000));
                    }
                    drain(ps);
                });
            }
        }
    }

    private static void upserts(DuckDBConnection c, Statement s) throws Exception {
        s.execute("CREATE TEMP TABLE stage (id BIGINT, name VARCHAR, age INTEGER)");
        for (String threads : new String[] {"default", "1"}) {
            s.execute(threads.equals("default") ? "RESET threads" : "SET threads = 1");
            for (int size : new int[] {16, 64}) {
                report("upsert group of " + size + " existing keys, threads " + threads, size, 200, g -> {
                    s.execute("BEGIN TRANSACTION");
                    stageRandomKeys(c, "stage", size, g);
                    s.execute("INSERT INTO t SELECT * FROM stage ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                            + " age = excluded.age");
                    s.execute("DELETE FROM stage");
                    s.execute("COMMIT");
                });
            }
        }
        s.execute("RESET threads");
    }

    private static void inserts(DuckDBConnection c, Statement s) throws Exception {
        long[] next = {10_000_000};
        for (int size : new int[] {8, 32}) {
            for (boolean transaction : new boolean[] {true, false}) {
                report("insert group of " + size + " rows, " + (transaction ? "BEGIN/appender/COMMIT" : "appender alone"),
                        size, 400, g -> {
                            if (transaction) {
                                s.execute("BEGIN TRANSACTION");
                            }
                            try (DuckDBAppender ap = c.createAppender("main", "t")) {
                                for (int r = 0; r < size; r++) {
                                    ap.beginRow().append(next[0]++).append("i" + r).append(r).endRow();
                                }
                                ap.flush();
                            }
                            if (transaction) {
                                s.execute("COMMIT");
                            }
                        });
            }
        }
    }

    /** What W4's backlog pays: 10k-row appender batches into a table with and without its primary key. */
    private static void appendsByKey(DuckDBConnection c, Statement s) throws Exception {
        for (boolean keyed : new boolean[] {true, false}) {
            String table = keyed ? "appended_keyed" : "appended_unkeyed";
            s.execute("CREATE TABLE " + table + " (id BIGINT" + (keyed ? " PRIMARY KEY" : "") + ", name VARCHAR, age INTEGER)");
            long[] next = {0};
            report("10k-row appender batch, BEGIN/COMMIT, " + (keyed ? "keyed" : "no key") + " table", 10_000, 100, g -> {
                s.execute("BEGIN TRANSACTION");
                try (DuckDBAppender ap = c.createAppender("main", table)) {
                    for (int r = 0; r < 10_000; r++) {
                        ap.beginRow().append(next[0]).append("n" + next[0]).append((int) (next[0]++ % 100)).endRow();
                    }
                    ap.flush();
                }
                s.execute("COMMIT");
            });
        }
    }

    private static void updatesByHowFilled(DuckDBConnection c, Statement s) throws Exception {
        s.execute("CREATE TEMP TABLE updates (id BIGINT, name VARCHAR, age INTEGER)");
        for (int chunk : new int[] {1_000_000, 5000}) {
            String table = "filled_" + chunk;
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR, age INTEGER)");
            for (int from = 0; from < 1_000_000; from += chunk) {
                s.execute("INSERT INTO " + table + " SELECT i, 'n' || lpad(i::VARCHAR, 9, '0'), (i % 100)::INTEGER"
                        + " FROM range(" + from + ", " + (from + chunk) + ") r(i)");
            }
            report("UPDATE ... FROM of 2000 rows, table filled by " + (1_000_000 / chunk) + " INSERT(s)", 2000, 20,
                    g -> updateFrom(c, s, table, 2000, g));
            s.execute("DROP TABLE " + table);
        }
    }

    /**
     * W2's batches: a table without its key index (a copy in the heap keeps the keys) filled by 1000-row appends, and
     * one transaction of {@code UPDATE ... FROM} per batch of random existing keys, as the backlog applies them.
     */
    private static void updatesByBatchSize(DuckDBConnection c, Statement s) throws Exception {
        s.execute("CREATE TABLE appended (id BIGINT, name VARCHAR, age INTEGER)");
        for (int from = 0; from < 1_000_000; from += 1000) {
            try (DuckDBAppender ap = c.createAppender("main", "appended")) {
                for (int i = from; i < from + 1000; i++) {
                    ap.beginRow().append((long) i).append(String.format("n%09d", i)).append(i % 100).endRow();
                }
                ap.flush();
            }
        }
        for (int rows : new int[] {1000, 3000, 8192, 12000}) {
            report("UPDATE ... FROM of " + rows + " rows, keyless table filled by 1000 appends", rows, 20,
                    g -> updateFrom(c, s, "appended", rows, g));
        }
        s.execute("DROP TABLE appended");
    }

    /** Stages {@code rows} random existing keys with new values and updates {@code table} from them, in one transaction. */
    private static void updateFrom(DuckDBConnection c, Statement s, String table, int rows, int g) throws SQLException {
        s.execute("BEGIN TRANSACTION");
        stageRandomKeys(c, "updates", rows, g);
        s.execute("UPDATE " + table + " AS t SET name = u.name, age = u.age FROM updates AS u WHERE t.id = u.id");
        s.execute("DELETE FROM updates");
        s.execute("COMMIT");
    }

    /** Appends {@code rows} distinct random keys of the 1M-row tables, with new values, to temp table {@code stage}. */
    private static void stageRandomKeys(DuckDBConnection c, String stage, int rows, int g) throws SQLException {
        try (DuckDBAppender ap = c.createAppender("temp", "main", stage)) {
            Set<Long> keys = new HashSet<>();
            while (keys.size() < rows) {
                keys.add((long) RANDOM.nextInt(1_000_000));
            }
            for (long k : keys) {
                ap.beginRow().append(k).append("u" + g).append(g % 100).endRow();
            }
            ap.flush();
        }
    }

    private static void snapshots(Statement s) throws Exception {
        s.execute("CREATE TABLE big AS SELECT i AS id, 'n' || lpad(i::VARCHAR, 9, '0') AS name, (i % 100)::INTEGER AS age"
                + " FROM range(10000000) r(i)");
        String file = System.getProperty("java.io.tmpdir") + "/duckcosts-" + ProcessHandle.current().pid() + ".parquet";
        for (String options : new String[] {"COMPRESSION zstd",
                "COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2"}) {
            report("COPY of 10M rows to Parquet (" + options + ")", 1, 3, i ->
                    s.execute("COPY big TO '" + file + "' (FORMAT parquet, " + options + ")"));
            System.out.printf("    file: %.1f MB%n", new java.io.File(file).length() / 1e6);
        }
        new java.io.File(file).delete();
    }

    /** Runs {@code op} {@code times} times after a warm-up of as many; prints CPU time per run and per item. */
    private static void report(String what, int items, int times, Op op) throws Exception {
        for (int i = 0; i < times; i++) {
            op.run(i);
        }
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < times; i++) {
            op.run(i);
        }
        double cpuMicros = (OS.getProcessCpuTime() - cpu) / 1e3 / times;
        double wallMicros = (System.nanoTime() - wall) / 1e3 / times;
        System.out.printf("%-75s %9.0f us CPU (%8.0f us wall), %7.1f us CPU per item%n", what, cpuMicros, wallMicros,
                cpuMicros / items);
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }
}
