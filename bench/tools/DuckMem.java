import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * W12's peer: a bare in-memory DuckDB (the same JDBC driver MathDB embeds) holding the benchmark table
 * (id BIGINT PRIMARY KEY, name VARCHAR of 10 characters, age INTEGER) with N rows; prints the process RSS.
 * Usage: java -cp duckdb_jdbc.jar DuckMem.java N
 */
public class DuckMem {
    public static void main(String[] a) throws Exception {
        long n = Long.parseLong(a[0]);
        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            long base = rssKb();
            long t0 = System.nanoTime();
            s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, name VARCHAR, age INTEGER)");
            s.execute("INSERT INTO big SELECT i, 'n' || lpad((i % 1000000000)::VARCHAR, 9, '0'), (i % 100)::INTEGER"
                    + " FROM range(1, " + (n + 1) + ") t(i)");
            double secs = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000);
            long rss = rssKb();
            System.out.printf("rows=%d load_s=%.1f rss_mb=%.0f base_mb=%.0f%n", n, secs, rss / 1024.0, base / 1024.0);
        }
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
