package io.mathdb.engine.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MutationCodecTest {
    @Test
    void everyValueKindSurvivesTheLog() {
        Object[] row = {1L, new BigInteger("18446744073709551615"), 1.5f, -2.25d, true, false, "żółw",
                LocalDate.of(-44, 3, 15), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                new BigDecimal("-12345678901234567890.0123456789"), new byte[] {0, -1, 7}, null};
        boolean[] mask = new boolean[row.length];
        mask[3] = true;
        Mutation m = new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.INSERT, "t", 1L, row, null),
                new RowChange(RowChange.Kind.PATCH, "t", 1L, row, mask),
                new RowChange(RowChange.Kind.DELETE, "u", "k", null, null)));
        Mutation back = MutationCodec.decode(m.walType(), MutationCodec.encode(m));
        List<RowChange> changes = ((Mutation.RowChanges) back).changes();
        assertThat(changes).hasSize(3);
        assertThat(changes.get(0).values()).containsExactly(row);
        assertThat(changes.get(1).mask()).containsExactly(mask);
        assertThat(changes.get(2).table()).isEqualTo("u");
        assertThat(changes.get(2).key()).isEqualTo("k");
    }

    @Test
    void schemasSurviveTheLog() {
        TableSchema schema = TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
                Column.required("price", ColumnType.parse("Decimal(10,2)")), Column.of("name", ColumnType.parse("String")));
        Mutation back = MutationCodec.decode(MutationCodec.TYPE_CREATE_TABLE,
                MutationCodec.encode(new Mutation.CreateTable(schema)));
        assertThat(((Mutation.CreateTable) back).schema()).isEqualTo(schema);
    }

    @Test
    void unknownPayloadVersionIsRefused() {
        byte[] payload = MutationCodec.encode(new Mutation.DropTable("t"));
        payload[0] = 99;
        assertThatThrownBy(() -> MutationCodec.decode(MutationCodec.TYPE_DROP_TABLE, payload))
                .hasMessageContaining("version 99");
    }

    @Test
    void aPayloadCutInsideAValueIsRefusedNotShortened() {
        Mutation m = new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.INSERT, "t", 1L, new Object[] {1L, "a string of some length"}, null)));
        byte[] whole = MutationCodec.encode(m);
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        assertThatThrownBy(() -> MutationCodec.decode(m.walType(), cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated payload");
    }

    @Test
    void payloadsGrowPastTheirFirstBuffer() {
        String big = "x".repeat(100_000);
        Mutation m = new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.INSERT, "t", big, new Object[] {big, big}, null)));
        Mutation back = MutationCodec.decode(m.walType(), MutationCodec.encode(m));
        assertThat(((Mutation.RowChanges) back).changes().get(0).values()).containsExactly(big, big);
    }

    @Test
    void namesBeyondAsciiSurviveTheLog() {
        for (String name : List.of("żółw", "таблица", "t\u0000x", "日本")) {
            Mutation back = MutationCodec.decode(MutationCodec.TYPE_DROP_TABLE,
                    MutationCodec.encode(new Mutation.DropTable(name)));
            assertThat(((Mutation.DropTable) back).table()).isEqualTo(name);
        }
        Mutation end = new Mutation.ImportEnd("ćma", 5, true);
        assertThat(MutationCodec.decode(MutationCodec.TYPE_IMPORT_END, MutationCodec.encode(end))).isEqualTo(end);
    }

    @Test
    void anUnknownChangeKindIsRefused() {
        byte[] payload = MutationCodec.encode(new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.DELETE, "t", 1L, null, null))));
        payload[5] = 9; // after the version and the count of changes
        assertThatThrownBy(() -> MutationCodec.decode(MutationCodec.TYPE_ROW_CHANGES, payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown change kind 9");
    }

    @Test
    void aNegativeLengthIsRefused() {
        byte[] payload = MutationCodec.encode(new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.DELETE, "t", "key", null, null))));
        payload[11] = (byte) 0xFF; // the first byte of the key's length, after "t" and the string tag
        assertThatThrownBy(() -> MutationCodec.decode(MutationCodec.TYPE_ROW_CHANGES, payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative length");
    }

    /** The bytes STORAGE.md specifies ("Payloads"), pinned: logs already on disk must keep decoding. */
    @Test
    void rowChangesEncodeToTheSpecifiedBytes() {
        Mutation m = new Mutation.RowChanges(List.of(
                new RowChange(RowChange.Kind.INSERT, "t", 1L,
                        new Object[] {1L, "hé", null, true, new BigDecimal("-1.50"), LocalDate.of(2024, 2, 29)}, null),
                new RowChange(RowChange.Kind.DELETE, "t", 2L, null, null)));
        String expected = "01" + "00000002" // version, 2 changes
                + "00" + "01" + "0001" + "74" // insert, new table: "t"
                + "01" + "0000000000000001" + "0006" // key 1, 6 columns
                + "01" + "0000000000000001" + "07" + "00000003" + "68c3a9" + "00" + "06" // 1, "hé", null, true
                + "0a" + "02" + "00000002" + "ff6a" // -1.50: scale 2, unscaled -150
                + "08" + "0000000000004d46" // 2024-02-29: epoch day 19782
                + "05" + "00" + "01" + "0000000000000002" + "0000"; // delete, same table, key 2, no columns
        byte[] bytes = MutationCodec.encode(m);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
        assertThat(((Mutation.RowChanges) MutationCodec.decode(m.walType(), bytes)).changes().get(0).values())
                .containsExactly(1L, "hé", null, true, new BigDecimal("-1.50"), LocalDate.of(2024, 2, 29));
    }
}
