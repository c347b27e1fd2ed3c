package io.mathdb.engine.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows built one named value at a time: the same rows, and the same refusals, as {@link TableSchema#coerceRow}. */
class RowBuilderTest {
    private static final TableSchema USERS = TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
            Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32")),
            Column.required("score", ColumnType.parse("Decimal(5,2)")));

    private static MathDbException refusal(Runnable build) {
        try {
            build.run();
        } catch (MathDbException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void valuesAreCoercedIntoTheirColumnsWhateverTheOrderAndCaseOfTheNames() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("SCORE", new BigDecimal("1.5"));
        row.set("Age", 30);
        row.set("id", 7);
        assertThat(row.finish()).containsExactly(7L, null, 30L, new BigDecimal("1.50"));
    }

    @Test
    void oneBuilderBuildsManyRowsEachStartingEmpty() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("id", 1);
        row.set("name", "a");
        row.set("score", 1);
        Object[] first = row.finish();
        row.set("score", 2);
        row.set("id", 2);
        Object[] second = row.finish();
        assertThat(first).containsExactly(1L, "a", null, new BigDecimal("1.00"));
        assertThat(second).containsExactly(2L, null, null, new BigDecimal("2.00"));
    }

    @Test
    void namesInADifferentOrderFromTheRowBeforeStillFindTheirColumns() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("id", 1);
        row.set("name", "a");
        row.set("score", 1);
        row.finish();
        row.set("name", "b");
        row.set("score", 2);
        row.set("ID", 2);
        assertThat(row.finish()).containsExactly(2L, "b", null, new BigDecimal("2.00"));
    }

    @Test
    void unknownColumnIsRefusedNamingIt() {
        RowBuilder row = new RowBuilder(USERS);
        MathDbException e = refusal(() -> row.set("nickname", "x"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
        assertThat(e).hasMessage("table 'users' has no column 'nickname'");
    }

    @Test
    void columnGivenTwiceInAnotherCaseIsRefused() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("name", "a");
        MathDbException e = refusal(() -> row.set("NAME", "b"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e).hasMessage("table 'users': column 'name' is given twice");
    }

    @Test
    void moreNamesThanColumnsAreRefusedAsAColumnGivenTwice() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("id", 1);
        row.set("name", "a");
        row.set("age", 1);
        row.set("score", 1);
        assertThat(refusal(() -> row.set("Id", 2))).hasMessage("table 'users': column 'id' is given twice");
    }

    @Test
    void valueOfTheWrongTypeIsRefusedNamingTheColumn() {
        RowBuilder row = new RowBuilder(USERS);
        MathDbException e = refusal(() -> row.set("age", "old"));
        assertThat(e.code()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(e).hasMessageContaining("column 'age'").hasMessageContaining("\"old\"");
    }

    @Test
    void missingKeyIsRefusedWhenTheRowEnds() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("score", 1);
        MathDbException e = refusal(row::finish);
        assertThat(e.code()).isEqualTo(ErrorCode.NULL_KEY);
        assertThat(e).hasMessage("table 'users': key 'id' is missing");
    }

    @Test
    void nullKeyIsRefusedWhenTheRowEnds() {
        RowBuilder row = new RowBuilder(USERS);
        row.set("id", null);
        row.set("score", 1);
        assertThat(refusal(row::finish)).hasMessage("table 'users': key 'id' is null");
    }

    @Test
    void missingAndNullNonNullableColumnsAreRefusedApart() {
        RowBuilder missing = new RowBuilder(USERS);
        missing.set("id", 1);
        MathDbException e = refusal(missing::finish);
        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_COLUMN);
        assertThat(e).hasMessage("table 'users': column 'score' is not nullable and is missing");

        RowBuilder nulled = new RowBuilder(USERS);
        nulled.set("id", 1);
        nulled.set("score", null);
        assertThat(refusal(nulled::finish).code()).isEqualTo(ErrorCode.NULL_VALUE);
    }

    @Test
    void coerceRowRefusesWithTheBuildersMessages() {
        Map<String, Object> twice = new LinkedHashMap<>();
        twice.put("id", 1);
        twice.put("Id", 2);
        assertThat(refusal(() -> USERS.coerceRow(twice))).hasMessage("table 'users': column 'id' is given twice");
        assertThat(refusal(() -> USERS.coerceRow(Map.of("id", 1, "x", 2)))).hasMessage(
                "table 'users' has no column 'x'");
        assertThat(refusal(() -> USERS.coerceRow(Map.of("score", 1)))).hasMessage(
                "table 'users': key 'id' is missing");
    }

    @Test
    void patchSetsOnlyTheGivenColumnsUnderTheAddressedKey() {
        TableSchema.Patch patch = USERS.coercePatch(5L, Map.of("age", 3));
        assertThat(patch.values()).containsExactly(5L, null, 3L, null);
        assertThat(patch.set()).containsExactly(false, false, true, false);
        assertThat(refusal(() -> USERS.coercePatch(5L, Map.of("id", 6))).code()).isEqualTo(ErrorCode.KEY_MISMATCH);
        Map<String, Object> nullScore = new LinkedHashMap<>();
        nullScore.put("score", null);
        assertThat(refusal(() -> USERS.coercePatch(5L, nullScore)).code()).isEqualTo(ErrorCode.NULL_VALUE);
    }
}
