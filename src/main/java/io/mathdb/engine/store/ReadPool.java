package io.mathdb.engine.store;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Reader connections, one per concurrent reader: a DuckDB connection cannot serve two threads at once, and each one
 * sees committed data only, so readers never wait for the writer (at most for a free connection).
 */
public final class ReadPool implements AutoCloseable {
    /** Work done with a borrowed connection. */
    public interface Read<T> {
        T run(DuckDBConnection connection) throws SQLException;
    }

    private final BlockingQueue<DuckDBConnection> idle;
    private final List<DuckDBConnection> all = new ArrayList<>();

    public ReadPool(DuckStore store, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            DuckDBConnection c = store.connect();
            all.add(c);
            idle.add(c);
        }
    }

    public <T> T read(Read<T> read) {
        DuckDBConnection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MathDbException(ErrorCode.INTERNAL, "interrupted while waiting for a reader connection");
        }
        try {
            return read.run(c);
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "read failed: " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() throws SQLException {
        for (DuckDBConnection c : all) {
            c.close();
        }
    }
}
