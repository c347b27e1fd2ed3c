package io.mathdb.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filtered, ordered, paged and aggregated reads through the engine, against a real database. */
class RowReadsTest {
    @TempDir
    static Path dir;
    static Database db;

    @BeforeAll
    static void open() {
        db = Database.open(dir);
        People.load(db);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** Runs {@code GET /tables/people/rows?<params>} in the engine; params are "name=value" strings. */
    static ListSink read(boolean count, String... params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            map.computeIfAbsent(p.substring(0, eq), k -> new ArrayList<>()).add(p.substring(eq + 1));
        }
        RowQuery query = RowQueryParser.parse(db.schema("people"), map, Set.of(), 1000L);
        ListSink sink = new ListSink();
        db.queries().rows(query, count, Duration.ofSeconds(30), sink);
        return sink;
    }

    static List<Object> ids(String... params) {
        return read(false, params).column(0);
    }

    static MathDbException refused(String... params) {
        try {
            read(false, params);
        } catch (MathDbException e) {
            return e;
        }
        throw new AssertionError("not refused: " + List.of(params));
    }

    @Test
    void noParametersGiveEveryRowInKeyOrderWithCanonicalValues() {
        ListSink all = read(false);
        assertThat(all.column(0)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(all.types()).containsExactly("Int64", "Utf8", "Int32", "Float64", "Boolean", "Date", "Datetime",
                "Decimal(10,2)", "UInt64", "Binary", "Utf8");
        Object[] alice = all.rows.get(0);
        assertThat(alice[5]).isEqualTo(LocalDate.of(1994, 1, 31));
        assertThat(alice[6]).isEqualTo(LocalDateTime.of(2024, 1, 31, 12, 0));
        assertThat(alice[7]).isEqualTo(new BigDecimal("10.50"));
        assertThat(alice[8]).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat((byte[]) alice[9]).containsExactly(1, 2, 3);
    }

    @Test
    void eachComparisonOperatorFiltersTypedByItsColumn() {
        assertThat(ids("age=eq.17")).containsExactly(2L, 6L);
        assertThat(ids("age=neq.17")).containsExactly(1L, 3L, 5L);
        assertThat(ids("age=gt.30")).containsExactly(3L, 5L);
        assertThat(ids("age=gte.30")).containsExactly(1L, 3L, 5L);
        assertThat(ids("age=lt.30")).containsExactly(2L, 6L);
        assertThat(ids("age=lte.30")).containsExactly(1L, 2L, 6L);
        assertThat(ids("score=gt.1.5")).containsExactly(2L, 4L);
        assertThat(ids("price=gte.10.50")).containsExactly(1L, 3L);
        assertThat(ids("price=lt.0")).containsExactly(5L);
        assertThat(ids("born=lt.1980-01-01")).containsExactly(3L, 5L);
        assertThat(ids("seen=gte.2024-02-01T08:30:00.123456")).containsExactly(2L, 6L);
        assertThat(ids("seen=eq.2024-01-31T12:00:00.000000")).containsExactly(1L);
        assertThat(ids("big=eq.18446744073709551615")).containsExactly(1L);
        assertThat(ids("big=gt.7")).containsExactly(1L, 3L);
        assertThat(ids("active=eq.true")).containsExactly(1L, 3L, 6L);
        assertThat(ids("data=eq.AQID")).containsExactly(1L);
        assertThat(ids("name=eq.Eve, \"the\" spy")).containsExactly(6L);
    }

    @Test
    void likeAndIlikeUseStarAsWildcard() {
        assertThat(ids("name=like.A*")).containsExactly(1L);
        assertThat(ids("name=ilike.a*")).containsExactly(1L, 5L);
        assertThat(ids("name=like.*o*")).containsExactly(2L, 3L);
        assertThat(ids("name=not.ilike.*a*")).containsExactly(2L, 6L);
    }

    @Test
    void inTakesQuotedItemsWithCommas() {
        assertThat(ids("id=in.(1,3,5)")).containsExactly(1L, 3L, 5L);
        assertThat(ids("name=in.(Bob,\"Eve, \\\"the\\\" spy\")")).containsExactly(2L, 6L);
        assertThat(ids("id=in.()")).isEmpty();
        assertThat(ids("id=not.in.(1,2)")).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void isTestsNullTrueAndFalse() {
        assertThat(ids("age=is.null")).containsExactly(4L);
        assertThat(ids("age=not.is.null")).containsExactly(1L, 2L, 3L, 5L, 6L);
        assertThat(ids("active=is.true")).containsExactly(1L, 3L, 6L);
        assertThat(ids("active=is.false")).containsExactly(2L, 5L);
        assertThat(ids("active=not.is.true")).containsExactly(2L, 4L, 5L);
    }

    @Test
    void notNegatesEveryOperator() {
        assertThat(ids("age=not.eq.17")).containsExactly(1L, 3L, 5L);
        assertThat(ids("age=not.gt.30")).containsExactly(1L, 2L, 6L);
        assertThat(ids("age=not.lte.30")).containsExactly(3L, 5L);
    }

    @Test
    void filtersOrAndAndNestAndCombine() {
        assertThat(ids("or=(age.lt.18,age.gt.65)")).containsExactly(2L, 3L, 6L);
        assertThat(ids("or=(age.lt.18,age.gt.65)", "active=is.true")).containsExactly(3L, 6L);
        assertThat(ids("and=(age.gte.17,team.eq.red)")).containsExactly(1L, 3L);
        assertThat(ids("not.or=(age.lt.18,age.gt.65)")).containsExactly(1L, 5L);
        assertThat(ids("or=(id.eq.4,and(team.eq.red,not.age.gt.60))")).containsExactly(1L, 4L);
        assertThat(ids("or=(name.eq.\"Eve, \\\"the\\\" spy\",id.in.(1,2))")).containsExactly(1L, 2L, 6L);
        assertThat(ids("age=gte.17", "age=lte.30")).containsExactly(1L, 2L, 6L);
    }

    @Test
    void badValuesUnknownColumnsAndBadSyntaxNameTheParameter() {
        MathDbException e = refused("age=gt.abc");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("age=gt.abc").contains("Int32");
        assertThat(refused("age=gt.3000000000").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("price=eq.1.234").getMessage()).contains("price=eq.1.234");
        assertThat(refused("born=eq.yesterday").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("active=eq.maybe").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("big=eq.-1").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("data=eq.***").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("age=like.1*").getMessage()).contains("Utf8");
        assertThat(refused("age=is.true").getMessage()).contains("Boolean");
        assertThat(refused("age=between.1").getMessage()).contains("unknown operator 'between'");
        assertThat(refused("age=17").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("or=(age.lt.18").getMessage()).contains("or=(age.lt.18");
        assertThat(refused("or=age.lt.18").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refused("id=in.(1,2").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        MathDbException unknown = refused("nope=eq.1");
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
        assertThat(unknown.getMessage()).contains("nope=eq.1");
        assertThat(refused("or=(nope.eq.1)").code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
    }

    @Test
    void valuesThatLookLikeSqlAreJustValues() {
        assertThat(ids("name=eq.x' OR '1'='1")).isEmpty();
        assertThat(ids("name=like.*\"; DROP TABLE people; --")).isEmpty();
        assertThat(refused("id\"=eq.1").code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
        assertThat(refused("select=id\" FROM people; --").code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
        assertThat(read(false).rows).hasSize(6);
    }

    @Test
    void orderTakesDirectionsAndNullPlacement() {
        assertThat(ids("order=age")).containsExactly(2L, 6L, 1L, 5L, 3L, 4L);
        assertThat(ids("order=age.desc")).containsExactly(4L, 3L, 5L, 1L, 2L, 6L);
        assertThat(ids("order=age.desc.nullslast,id.desc")).containsExactly(3L, 5L, 1L, 6L, 2L, 4L);
        assertThat(ids("order=age.asc.nullsfirst,id")).containsExactly(4L, 2L, 6L, 1L, 5L, 3L);
        assertThat(ids("order=team.nullsfirst,name.desc")).containsExactly(6L, 4L, 2L, 5L, 3L, 1L);
        assertThat(refused("order=age.sideways").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
        assertThat(refused("order=age.asc.desc").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    }

    @Test
    void limitAndOffsetPage() {
        assertThat(ids("limit=2")).containsExactly(1L, 2L);
        assertThat(ids("limit=2", "offset=2")).containsExactly(3L, 4L);
        assertThat(ids("offset=5")).containsExactly(6L);
        assertThat(ids("limit=0")).isEmpty();
        assertThat(refused("limit=-1").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
        assertThat(refused("offset=x").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
        assertThat(refused("limit=1", "limit=2").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    }

    @Test
    void keysetPagingWalksTheWholeTableWithoutOverlap() {
        List<Object> seen = new ArrayList<>();
        long last = Long.MIN_VALUE;
        while (true) {
            List<Object> page = ids("id=gt." + last, "order=id", "limit=4");
            if (page.isEmpty()) {
                break;
            }
            seen.addAll(page);
            last = (Long) page.get(page.size() - 1);
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void exactCountIgnoresPaging() {
        ListSink page = read(true, "age=not.is.null", "limit=2", "offset=1");
        assertThat(page.header.total()).isEqualTo(5L);
        assertThat(page.column(0)).containsExactly(2L, 3L);
        assertThat(read(false).header.total()).isNull();
        assertThat(read(true, "select=team,age.avg()").header.total()).isEqualTo(4L);
        assertThat(read(true, "select=count()").header.total()).isEqualTo(1L);
    }

    @Test
    void aggregatesGroupByThePlainColumns() {
        ListSink byTeam = read(false, "select=team,age.avg(),id.count(),price.sum(),age.min(),n:age.max()",
                "order=team.nullsfirst");
        assertThat(byTeam.names()).containsExactly("team", "avg", "count", "sum", "min", "n");
        assertThat(byTeam.types()).containsExactly("Utf8", "Float64", "Int64", "Decimal(38,2)", "Int32", "Int32");
        assertThat(byTeam.column(0)).containsExactly(null, "blue", "green", "red");
        assertThat(byTeam.column(1)).containsExactly(17.0, 17.0, 45.0, 50.0);
        assertThat(byTeam.column(2)).containsExactly(1L, 2L, 1L, 2L);
        assertThat(byTeam.column(3)).containsExactly(new BigDecimal("1.00"), new BigDecimal("0.99"),
                new BigDecimal("-5.25"), new BigDecimal("133.50"));
        ListSink total = read(false, "select=count(),ages:age.count(),big.sum()");
        assertThat(total.rows.get(0)).containsExactly(6L, 5L, new BigInteger("18446744073709551665"));
        assertThat(total.types()).containsExactly("Int64", "Int64", "Int128");
        assertThat(refused("select=name.sum()").getMessage()).contains("numeric");
        assertThat(refused("select=age.avg(),score.avg()").getMessage()).contains("alias");
        assertThat(refused("select=team,age.avg()", "order=age").getMessage()).contains("order");
        assertThat(refused("select=age.median()").code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    }

    @Test
    void selectPicksAndRenamesColumns() {
        ListSink picked = read(false, "select=name,who:id", "id=eq.2");
        assertThat(picked.names()).containsExactly("name", "who");
        assertThat(picked.rows.get(0)).containsExactly("Bob", 2L);
    }

    @Test
    void unknownTableIsNotFound() {
        assertThatThrownBy(() -> db.schema("nope")).isInstanceOfSatisfying(MathDbException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_TABLE));
    }
}
