package io.mathdb.engine.heap;

import io.mathdb.engine.Database;
import io.mathdb.engine.Durability;
import io.mathdb.engine.ImportFormat;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import io.mathdb.engine.query.RowQuery;
import io.mathdb.engine.query.RowQueryParser;
import io.mathdb.engine.query.RowSink;

/**
 * Child-JVM program for {@link StreamingImportTest}: writes a CSV of {@code rows} rows to disk, imports it through
 * the library, reopens the directory (replaying the logged chunks), exports the table as rows and as Parquet, and
 * prints the counts it saw.
 */
public final class SmallHeapImport {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        Path csv = dir.resolveSibling("rows.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("id,name,age\n");
            for (int i = 0; i < rows; i++) {
                out.write(i + ",name" + i + "," + (i % 100) + "\n");
            }
        }
        TableSchema schema = TableSchema.of("people", Column.key("id", ColumnType.parse("Int64")),
                Column.of("name", ColumnType.parse("Utf8")), Column.of("age", ColumnType.parse("Int32")));
        try (Database db = Database.open(dir); InputStream in = Files.newInputStream(csv)) {
            db.create(schema);
            long imported = db.importRows("people", in, ImportFormat.CSV, OnConflict.ERROR, Durability.DEFAULT).rows();
            System.out.println("imported " + imported);
        }
        try (Database db = Database.open(dir)) {
            System.out.println("recovered " + db.table("people").count());
            RowQuery all = RowQueryParser.parse(db.schema("people"), Map.of(), Set.of(), null);
            long[] rowsOut = {0};
            db.queries().export(all, new RowSink() {
                @Override
                public void start(Header header) {
                }

                @Override
                public void row(Object[] values) {
                    rowsOut[0]++;
                }

                @Override
                public void end(boolean truncated) {
                }
            });
            System.out.println("exported " + rowsOut[0]);
            long[] parquetBytes = {0};
            db.queries().exportParquet(all, (file, lsn) -> parquetBytes[0] = Files.size(file));
            System.out.println("parquet " + (parquetBytes[0] > 0));
        }
    }
}
