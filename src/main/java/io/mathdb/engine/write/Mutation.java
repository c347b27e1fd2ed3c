package io.mathdb.engine.write;

import io.mathdb.engine.schema.TableSchema;
import java.util.List;

/**
 * A change to the database as a value: what the writer logs, then applies, and what recovery replays. One client
 * request is one mutation and one log record, so a multi-row request or a batch is replayed all or nothing.
 */
public sealed interface Mutation {
    /** The WAL record type this mutation is logged under. */
    byte walType();

    record CreateTable(TableSchema schema) implements Mutation {
        @Override
        public byte walType() {
            return MutationCodec.TYPE_CREATE_TABLE;
        }
    }

    record DropTable(String table) implements Mutation {
        @Override
        public byte walType() {
            return MutationCodec.TYPE_DROP_TABLE;
        }
    }

    /**
     * Part of a bulk import: the next bytes of a Parquet file holding the rows it wrote, in order. An import is
     * logged as its chunks followed by an {@link ImportEnd}, and replay loads the file only once it reads the end
     * (STORAGE.md, "Payloads").
     */
    record ImportChunk(byte[] parquet) implements Mutation {
        @Override
        public byte walType() {
            return MutationCodec.TYPE_IMPORT_CHUNK;
        }
    }

    /** The last record of a bulk import: its rows go into {@code table}, replacing existing keys if {@code replace}. */
    record ImportEnd(String table, long rows, boolean replace) implements Mutation {
        @Override
        public byte walType() {
            return MutationCodec.TYPE_IMPORT_END;
        }
    }

    /** Row changes applied in order, all or none, possibly over several tables. */
    record RowChanges(List<RowChange> changes) implements Mutation {
        @Override
        public byte walType() {
            return MutationCodec.TYPE_ROW_CHANGES;
        }
    }
}
