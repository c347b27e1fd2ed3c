package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.wal.WalOptions;
import io.mathdb.engine.wal.WalWriter;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.MutationCodec;
import io.mathdb.engine.write.RowChange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A log of many records and no snapshot, as the engine writes it: the same mutation encoding and log writer, fed in
 * groups of a thousand, which takes a second where a client inserting row by row takes a minute. Record 1 creates
 * table {@code big (id Int64 key, v Int64)}; record {@code n > 1} inserts {@code id = n - 2, v = 3 * id}.
 */
final class LongLog {
    private LongLog() {
    }

    static void write(Path dataDir, long records) throws Exception {
        TableSchema big = TableSchema.of("big", Column.key("id", ColumnType.parse("Int64")),
                Column.of("v", ColumnType.parse("Int64")));
        try (WalWriter wal = WalWriter.open(dataDir.resolve("wal"), 1, WalOptions.defaults())) {
            Mutation create = new Mutation.CreateTable(big);
            wal.append(create.walType(), List.of(MutationCodec.encode(create)));
            List<byte[]> group = new ArrayList<>();
            for (long id = 0; id < records - 1; id++) {
                Object[] row = big.coerceRow(Map.of("id", id, "v", id * 3));
                group.add(MutationCodec.encode(new Mutation.RowChanges(
                        List.of(new RowChange(RowChange.Kind.INSERT, "big", id, row, null)))));
                if (group.size() == 1000) {
                    wal.append(MutationCodec.TYPE_ROW_CHANGES, group);
                    group.clear();
                }
            }
            if (!group.isEmpty()) {
                wal.append(MutationCodec.TYPE_ROW_CHANGES, group);
            }
            assertThat(wal.lastLsn()).isEqualTo(records);
        }
    }
}
