package io.mathdb.engine.snapshot;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/** A fresh in-memory DuckDB plus the small helpers the snapshot tests share. */
final class TestDb implements AutoCloseable {
    final DuckDBConnection conn;

    TestDb() throws SQLException {
        conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    }

    /** What the engine's creator does, minus its catalog: a keyed table from the schema's DuckDB types. */
    void create(TableSchema schema) throws SQLException {
        String cols = schema.columns().stream()
                .map(c -> Names.quote(c.name()) + " " + c.type().duckType() + (c.primaryKey() ? " PRIMARY KEY" : "")
                        + (c.nullable() || c.primaryKey() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", "));
        exec("CREATE TABLE main." + Names.quote(schema.name()) + " (" + cols + ")");
    }

    void exec(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String table) throws SQLException {
        return Long.parseLong(rows("SELECT count(*) FROM " + table).get(0).get(0));
    }

    /** Every row of a query, each value as DuckDB's text form, which is exact for every MathDB type. */
    List<List<String>> rows(String sql) throws SQLException {
        return rows(conn, sql);
    }

    static List<List<String>> rows(Connection conn, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** A small keyed table {@code name(id Int64 key, label Utf8)} holding ids 1..rows. */
    TableSchema simpleTable(String name, int rows) throws SQLException {
        TableSchema schema = TableSchema.of(name, Column.key("id", ColumnType.parse("Int64")),
                Column.of("label", ColumnType.parse("Utf8")));
        create(schema);
        if (rows > 0) {
            exec("INSERT INTO " + name + " SELECT i, 'row ' || i FROM range(1, " + (rows + 1) + ") t(i)");
        }
        return schema;
    }

    /** Takes a snapshot the way the engine does: its own connection, a pinned read transaction, then write. */
    SnapshotInfo snapshot(java.nio.file.Path dir, long lsn, List<TableSchema> tables) throws SQLException {
        return snapshot(new SnapshotWriter(), dir, lsn, tables, java.util.Set.of());
    }

    /** As {@link #snapshot(java.nio.file.Path, long, List)}, by {@code writer}, extending {@code appendOnly}. */
    SnapshotInfo snapshot(SnapshotWriter writer, java.nio.file.Path dir, long lsn, List<TableSchema> tables,
                          java.util.Set<String> appendOnly) throws SQLException {
        try (Connection tx = conn.duplicate()) {
            SnapshotWriter.beginReadTransaction(tx);
            try {
                return writer.write(dir, tx, lsn, tables, appendOnly);
            } finally {
                try (Statement s = tx.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
