package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.TableSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Point reads by primary key, batched. DuckDB answers {@code WHERE key = ?} and {@code WHERE key IN (...)} through the
 * table's key index where it has one ({@code EXPLAIN ANALYZE} shows an index scan; plain {@code EXPLAIN} does not, as
 * the choice is made when the query runs), yet through JDBC a one-key query costs ~370-420 µs of CPU on a 2-core
 * machine (a trivial {@code SELECT} alone ~200 µs): one query per GET would cap reads near 2,500 a second. Instead,
 * lookup threads drain every pending lookup and answer each table's keys with one {@code WHERE key IN (...)} query, so
 * under load the fixed cost is shared by every request waiting at that moment (64 keys in one query cost ~1.3-1.8 ms,
 * about as much as 4 single ones). Tables with a live {@link RowMirrors copy in the heap} are read from it instead;
 * this path serves the others, and reads that overlap a commit.
 *
 * <p>Readers see committed data: a write acknowledged before a lookup is queued is visible to it.
 */
public final class KeyLookups implements AutoCloseable {
    /** Keys answered by one query at most; a batch is padded to a key list size ({@link Sql#keyListSize}). */
    private static final int MAX_BATCH = Sql.KEY_LIST_SIZES[Sql.KEY_LIST_SIZES.length - 1];

    private record Lookup(TableSchema schema, Object key, CompletableFuture<Object[]> result) {
    }

    private final BlockingQueue<Lookup> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<DuckDBConnection> connections = new ArrayList<>();
    private volatile boolean closed;

    public KeyLookups(DuckStore store, int threadCount) throws SQLException {
        for (int i = 0; i < threadCount; i++) {
            DuckDBConnection c = store.connect();
            connections.add(c);
            Thread t = new Thread(() -> loop(c), "mathdb-lookup-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The row stored under {@code key} (already coerced to the key type), or null. */
    public CompletableFuture<Object[]> get(TableSchema schema, Object key) {
        Lookup lookup = new Lookup(schema, key, new CompletableFuture<>());
        if (closed) {
            lookup.result().completeExceptionally(new MathDbException(ErrorCode.CLOSED, "the database is closed"));
        } else {
            queue.add(lookup);
        }
        return lookup.result();
    }

    private void loop(DuckDBConnection connection) {
        Map<String, PreparedStatement> prepared = new HashMap<>();
        List<Lookup> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            Map<TableSchema, List<Lookup>> byTable = new LinkedHashMap<>();
            for (Lookup l : batch) {
                byTable.computeIfAbsent(l.schema(), s -> new ArrayList<>()).add(l);
            }
            byTable.forEach((schema, lookups) -> answer(connection, prepared, schema, lookups));
            batch.clear();
        }
    }

    private void answer(DuckDBConnection connection, Map<String, PreparedStatement> prepared, TableSchema schema,
                        List<Lookup> lookups) {
        int size = Sql.keyListSize(lookups.size()); // never -1: a batch holds at most MAX_BATCH keys
        String sql = Sql.selectByKeys(schema, size);
        try {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                prepared.put(sql, ps);
            }
            for (int i = 0; i < size; i++) {
                ps.setObject(i + 1, Values.parameter(lookups.get(Math.min(i, lookups.size() - 1)).key()));
            }
            Map<Object, Object[]> rows = new HashMap<>();
            int keyIndex = schema.keyIndex();
            int width = schema.columns().size();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[width];
                    for (int c = 0; c < width; c++) {
                        row[c] = Values.read(rs, c + 1, schema.columns().get(c).type());
                    }
                    rows.put(row[keyIndex], row);
                }
            }
            for (Lookup l : lookups) {
                l.result().complete(rows.get(l.key()));
            }
        } catch (SQLException e) {
            // A failed statement is closed by DuckDB; prepare afresh next time (the table may have been dropped).
            prepared.remove(sql);
            MathDbException error = e.getMessage() != null && e.getMessage().startsWith("Catalog Error")
                    ? new MathDbException(ErrorCode.NO_SUCH_TABLE, "no table named '" + schema.name() + "'")
                    : new MathDbException(ErrorCode.INTERNAL, "key lookup failed: " + e.getMessage(), e);
            lookups.forEach(l -> l.result().completeExceptionally(error));
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (DuckDBConnection c : connections) {
            c.close();
        }
    }
}
