package bench.springpg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * What a Java team would build instead of MathDB: Spring Boot, JdbcTemplate, HikariCP, PostgreSQL. Two pools on
 * the same database: one whose sessions run with {@code synchronous_commit=off} (MathDB's default durability: the
 * write reaches the log, the fsync follows), one with {@code synchronous_commit=on} (for {@code ?durability=sync}).
 */
@SpringBootApplication
public class PeerApplication {
    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }

    @Bean
    @Primary
    DataSource asyncDataSource(@Value("${peer.jdbc-url}") String url, @Value("${peer.user}") String user,
                               @Value("${peer.pool-size:16}") int pool) {
        return pool("async", url, user, pool, "off");
    }

    @Bean
    DataSource syncDataSource(@Value("${peer.jdbc-url}") String url, @Value("${peer.user}") String user,
                              @Value("${peer.pool-size:16}") int pool) {
        return pool("sync", url, user, pool, "on");
    }

    private static DataSource pool(String name, String url, String user, int size, String synchronousCommit) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionInitSql("SET synchronous_commit = " + synchronousCommit);
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(c);
    }
}
