package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.util.List;

/**
 * One table of a verified snapshot: its schema, the Parquet file holding its rows and the files of rows appended after
 * them, checked against the manifest; {@code rows} counts the rows of all of them.
 */
public record SnapshotTable(TableSchema schema, Path file, long bytes, long crc32c, long rows, List<Path> appended) {
    public SnapshotTable {
        appended = List.copyOf(appended);
    }

    public SnapshotTable(TableSchema schema, Path file, long bytes, long crc32c, long rows) {
        this(schema, file, bytes, crc32c, rows, List.of());
    }
}
