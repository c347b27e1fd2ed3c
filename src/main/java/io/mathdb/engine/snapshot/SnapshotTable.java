package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;

/** One table of a verified snapshot: its schema and the Parquet file holding its rows, checked against the manifest. */
public record SnapshotTable(TableSchema schema, Path file, long bytes, long crc32c, long rows) {
}
