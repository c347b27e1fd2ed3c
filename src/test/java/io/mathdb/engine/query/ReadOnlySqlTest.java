package io.mathdb.engine.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /query} in the engine: what may run, what it answers, and what is refused. */
class ReadOnlySqlTest {
    @TempDir
    static Path dir;
    static Database db;
    static String before;

    @BeforeAll
    static void open() throws Exception {
        db = Database.open(dir);
        People.load(db);
        Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
        Files.writeString(dir.resolve("tmp").resolve("planted.csv"), "a,b\n1,2\n");
        before = dump();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static ListSink sql(String sql, Object... params) {
        ListSink sink = new ListSink();
        db.queries().sql(sql, List.of(params), Duration.ofSeconds(30), 1000, sink);
        return sink;
    }

    /** Every row of people as text, to show a refused statement changed nothing. */
    static String dump() {
        StringBuilder b = new StringBuilder();
        for (Object[] row : sql("SELECT * FROM people ORDER BY id").rows) {
            b.append(java.util.Arrays.deepToString(row)).append('\n');
        }
        return b + "tables=" + db.tables().size();
    }

    /** Statements that must never run, each with why. */
    static Stream<String> hostile() {
        String secret = dir.resolve("secret.csv").toString();
        String planted = dir.resolve("tmp").resolve("planted.csv").toString();
        String snapshots = dir.resolve("snapshots").toString();
        return Stream.of(
                "DELETE FROM people",
                "UPDATE people SET age = 0",
                "INSERT INTO people (id) VALUES (99)",
                "DROP TABLE people",
                "CREATE TABLE x (a INTEGER)",
                "CREATE TEMP TABLE x AS SELECT * FROM people",
                "ALTER TABLE people ADD COLUMN z INTEGER",
                "TRUNCATE people",
                "COPY people TO '" + dir.resolve("out.csv") + "'",
                "COPY (SELECT * FROM people) TO '" + dir.resolve("tmp").resolve("out.parquet") + "' (FORMAT parquet)",
                "ATTACH ':memory:' AS other",
                "ATTACH '" + dir.resolve("other.db") + "' AS other",
                "DETACH memory",
                "INSTALL httpfs",
                "LOAD httpfs",
                "SET threads = 1",
                "SET enable_external_access = true",
                "RESET lock_configuration",
                "PRAGMA database_list",
                "CALL pragma_version()",
                "SELECT * FROM read_csv('" + secret + "')",
                "SELECT * FROM read_csv_auto('" + planted + "')",
                "SELECT * FROM read_parquet('" + snapshots + "/*/*.parquet')",
                "SELECT * FROM '" + planted + "'",
                "SELECT * FROM \"" + planted + "\"",
                "SELECT * FROM glob('" + dir + "/*')",
                "SELECT * FROM read_text('/etc/passwd')",
                "SELECT * FROM read_blob('/etc/passwd')",
                "SELECT * FROM read_json('/etc/passwd')",
                "SELECT * FROM query('DELETE FROM people')",
                "SELECT * FROM query_table('people')",
                "SELECT * FROM duckdb_settings()",
                "SELECT * FROM people WHERE id IN (SELECT 1 FROM read_csv('" + secret + "'))",
                "SELECT current_setting('allowed_directories')",
                "SELECT 1; DELETE FROM people",
                "SELECT 1; SELECT 2",
                "SELECT 1 /* ; */ ; DROP TABLE people",
                "SELECT 1 -- harmless\n; DROP TABLE people",
                "WITH gone AS (DELETE FROM people RETURNING id) SELECT * FROM gone",
                "WITH up AS (UPDATE people SET age = 0 RETURNING id) SELECT count(*) FROM up",
                "WITH ins AS (INSERT INTO people (id) VALUES (100) RETURNING id) SELECT * FROM ins",
                "SELECT 1) TO '" + dir.resolve("x.csv") + "' (FORMAT csv); --",
                "SELECT * FROM (SELECT 1)) ; DROP TABLE people; SELECT (1",
                "SELECT 1) AS t WHERE (true",
                "SELECT * FROM people) LIMIT (1",
                "SELECT 1) ORDER BY (1",
                "SELECT 1) WINDOW w AS (",
                "SELECT 1) WINDOW w AS (ORDER BY (SELECT count(*) FROM read_csv('" + secret + "'))",
                "SELECT * FROM information_schema.tables",
                "SELECT * FROM duckdb_tables",
                "SELECT * FROM temp.main.\"__rows_people\"",
                "SELECT * FROM other.main.people",
                "DESCRIBE people",
                "SUMMARIZE people",
                "SHOW TABLES",
                "EXPORT DATABASE '" + dir.resolve("exp") + "'",
                "CHECKPOINT",
                "VACUUM",
                "BEGIN TRANSACTION",
                "EXPLAIN ANALYZE SELECT 1",
                "CREATE MACRO m(a) AS a",
                "SET VARIABLE x = 1",
                "SELECT getvariable('x')");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileStatementIsRefusedAndChangesNothing(String statement) {
        MathDbException refused = null;
        try {
            sql(statement);
        } catch (MathDbException e) {
            refused = e;
        }
        assertThat(refused).as(statement).isNotNull();
        assertThat(refused.code()).as(statement + ": " + refused.getMessage())
                .isIn(ErrorCode.QUERY_REFUSED, ErrorCode.INVALID_SQL);
        assertThat(dump()).isEqualTo(before);
        assertThat(dir.resolve("out.csv")).doesNotExist();
        assertThat(dir.resolve("x.csv")).doesNotExist();
        assertThat(dir.resolve("tmp").resolve("out.parquet")).doesNotExist();
        assertThat(dir.resolve("other.db")).doesNotExist();
    }

    @Test
    void atLeastTwentyFiveHostileStatementsAreListed() {
        assertThat(hostile().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void answerHasMathDbTypeNamesAndExactValues() {
        ListSink s = sql("SELECT name, age, price, seen, big, data, score FROM people WHERE id = ?", 1);
        assertThat(s.names()).containsExactly("name", "age", "price", "seen", "big", "data", "score");
        assertThat(s.types()).containsExactly("Utf8", "Int32", "Decimal(10,2)", "Datetime", "UInt64", "Binary",
                "Float64");
        assertThat(s.rows.get(0)[2]).isEqualTo(new BigDecimal("10.50"));
        assertThat(s.rows.get(0)[3]).isEqualTo(LocalDateTime.of(2024, 1, 31, 12, 0));
        assertThat(s.rows.get(0)[4]).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void groupByWithParametersAnswersLikeTheIssueExample() {
        ListSink s = sql("SELECT team, avg(age) AS avg_age, sum(age) AS total, count(*) AS n FROM people "
                + "WHERE age > ? GROUP BY team ORDER BY team", 20);
        assertThat(s.types()).containsExactly("Utf8", "Float64", "Int128", "Int64");
        assertThat(s.column(0)).containsExactly("green", "red");
        assertThat(s.column(1)).containsExactly(45.0, 50.0);
        assertThat(s.column(2)).containsExactly(BigInteger.valueOf(45), BigInteger.valueOf(100));
    }

    @Test
    void readOnlySqlMayUseCtesJoinsWindowsSetOperationsAndRange() {
        assertThat(sql("WITH adults AS (SELECT * FROM people WHERE age >= 18) SELECT count(*) FROM adults")
                .rows.get(0)[0]).isEqualTo(3L);
        assertThat(sql("SELECT a.id FROM people a JOIN people b ON a.team = b.team AND a.id < b.id ORDER BY 1")
                .column(0)).containsExactly(1L, 2L);
        assertThat(sql("SELECT id, row_number() OVER (ORDER BY id DESC) FROM people ORDER BY id LIMIT 1")
                .rows.get(0)[1]).isEqualTo(6L);
        assertThat(sql("SELECT id FROM people WHERE id < 2 UNION ALL SELECT range FROM range(3) ORDER BY 1")
                .column(0)).containsExactly(0L, 1L, 1L, 2L);
        assertThat(sql("FROM people SELECT count(*);").rows.get(0)[0]).isEqualTo(6L);
        assertThat(sql("SELECT id FROM PEOPLE ORDER BY id DESC LIMIT 2 -- trailing comment").column(0))
                .containsExactly(6L, 5L);
        assertThat(sql("SELECT $1::INTEGER + $2::INTEGER AS s", 40, 2).rows.get(0)[0]).isEqualTo(42L);
        assertThat(sql("SELECT 'über' AS \"größe\" -- ünïcode").rows.get(0)[0]).isEqualTo("über");
    }

    @Test
    void typesNoTableHoldsComeBackUnderTheirOwnNamesOrAsText() {
        ListSink s = sql("SELECT NULL AS n, TIME '10:00:01' AS t, [1, 2] AS l, INTERVAL 1 DAY AS i, "
                + "1::HUGEINT AS h");
        assertThat(s.types()).containsExactly("Null", "Time", "Utf8", "Utf8", "Int128");
        assertThat(s.rows.get(0)).containsExactly(null, "10:00:01.000000", "[1, 2]", "1 day", BigInteger.ONE);
    }

    @Test
    void jsonRowCapTruncatesAndSaysSo() {
        ListSink sink = new ListSink();
        db.queries().sql("SELECT * FROM range(10)", List.of(), Duration.ofSeconds(30), 4, sink);
        assertThat(sink.rows).hasSize(4);
        assertThat(sink.truncated).isTrue();
        assertThat(sql("SELECT * FROM range(3)").truncated).isFalse();
    }

    @Test
    void queryRunningPastItsTimeLimitIsStopped() {
        // 6^12 = 2 billion combinations: minutes of work, stopped after one second
        String huge = "SELECT count(*) FROM people a, people b, people c, people d, people e, people f, people g, "
                + "people h, people i, people j, people k, people l WHERE a.id + b.id + c.id + d.id + e.id + f.id "
                + "+ g.id + h.id + i.id + j.id + k.id + l.id > ?";
        MathDbException timedOut = null;
        try {
            db.queries().sql(huge, List.of(0), Duration.ofSeconds(1), 10, new ListSink());
        } catch (MathDbException e) {
            timedOut = e;
        }
        assertThat(timedOut).isNotNull();
        assertThat(timedOut.code()).isEqualTo(ErrorCode.QUERY_TIMEOUT);
        assertThat(timedOut.getMessage()).contains("time limit").contains("mathdb.query.timeout");
        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void syntaxErrorsAndUnknownColumnsAreInvalidSql() {
        assertThat(code("SELEC 1")).isEqualTo(ErrorCode.INVALID_SQL);
        assertThat(code("SELECT nope FROM people")).isEqualTo(ErrorCode.INVALID_SQL);
        assertThat(code("SELECT * FROM people WHERE id = ?")).isEqualTo(ErrorCode.INVALID_SQL);
        assertThat(code("")).isEqualTo(ErrorCode.QUERY_REFUSED);
        assertThat(code("SELECT * FROM nope")).isEqualTo(ErrorCode.QUERY_REFUSED);
        assertThat(code("SELECT 1; -- a comment after the semicolon")).isEqualTo(ErrorCode.INVALID_SQL);
    }

    @Test
    void refusalsNameWhatIsWrong() {
        assertThat(message("SELECT 1; SELECT 2")).contains("exactly one SELECT statement may run; the text holds 2");
        assertThat(message("DELETE FROM people")).contains("only a SELECT statement may run here");
        assertThat(message("SELECT * FROM nope")).contains("'nope' is not a MathDB table");
        assertThat(message("SELECT * FROM glob('/*')")).contains("table function 'glob' is not allowed");
        assertThat(message("WITH gone AS (DELETE FROM people RETURNING id) SELECT * FROM gone"))
                .contains("the query writes (DELETE)");
        assertThat(message("SELECT 1) AS t WHERE (true")).contains("the query does not parse");
    }

    @Test
    void parquetAnswerIsAFileDuckDbReadsAndIsDeletedAfterwards() {
        List<Path> files = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        db.queries().sqlParquet("SELECT * FROM people WHERE age > ?", List.of(18), Duration.ofSeconds(30),
                (file, lsn) -> {
                    files.add(file);
                    counts.add(Files.size(file));
                });
        assertThat(counts.get(0)).isPositive();
        assertThat(files.get(0)).doesNotExist();
        assertThat(files.get(0).getParent()).doesNotExist();
    }

    private static ErrorCode code(String statement) {
        try {
            sql(statement);
            return null;
        } catch (MathDbException e) {
            return e.code();
        }
    }

    private static String message(String statement) {
        try {
            sql(statement);
            return "(ran)";
        } catch (MathDbException e) {
            return e.getMessage();
        }
    }
}
