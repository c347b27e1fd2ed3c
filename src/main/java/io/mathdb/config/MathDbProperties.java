package io.mathdb.config;

import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.wal.WalFiles;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every MathDB setting, bound from {@code mathdb.*} (documented in {@code config/application.yml}). The defaults here
 * are the same as the file's, so a missing file or key still yields a working service.
 *
 * @param dataDir  where the write-ahead log and snapshots live; only one process may use it at a time
 * @param wal      the write-ahead log
 * @param snapshot snapshots of the tables, which bound recovery time and let old log segments go
 * @param http     limits of the HTTP layer
 * @param read     the read path
 * @param query    filtered reads and read-only SQL
 * @param memory   the process's memory
 */
@ConfigurationProperties("mathdb")
public record MathDbProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Wal wal,
        @DefaultValue Snapshot snapshot,
        @DefaultValue Http http,
        @DefaultValue Read read,
        @DefaultValue Query query,
        @DefaultValue Memory memory) {

    /**
     * @param flushInterval how long an acknowledged non-sync write may wait for its fsync (0: only on sync writes)
     * @param segmentSize   a log segment is closed and a new one started past this size
     */
    public record Wal(@DefaultValue("3s") Duration flushInterval, @DefaultValue("64MB") DataSize segmentSize) {
    }

    /**
     * @param interval   a snapshot is taken this often (0: never on a timer)
     * @param walBytes   ... or once this much log has been written since the last one
     * @param retain     how many snapshots are kept
     * @param onShutdown whether a clean shutdown writes a snapshot, so the next start replays no log
     */
    public record Snapshot(@DefaultValue("10m") Duration interval, @DefaultValue("256MB") DataSize walBytes,
                           @DefaultValue("2") int retain, @DefaultValue("false") boolean onShutdown) {
    }

    /** @param maxBodySize a request body larger than this is refused with 413 before it is parsed */
    public record Http(@DefaultValue("64MB") DataSize maxBodySize) {
    }

    /**
     * @param connections  DuckDB connections reserved for readers; readers never wait for the writer
     * @param mirrorMemory estimated heap for copies of the tables read by key, which answer those reads without
     *                     DuckDB; unset: a quarter of the maximum heap; 0: no copies
     */
    public record Read(@DefaultValue("8") int connections, DataSize mirrorMemory) {
        long mirrorBytes() {
            return mirrorMemory == null ? DatabaseOptions.defaultMirrorBytes() : mirrorMemory.toBytes();
        }
    }

    /**
     * @param timeout     how long one read (a {@code GET .../rows} or a {@code POST /query}) may run inside DuckDB
     *                    before it is stopped with {@code query_timeout}; exports are not limited
     * @param maxJsonRows a JSON answer of {@code POST /query} holds at most this many rows and then says
     *                    {@code "truncated": true}; CSV, NDJSON and Parquet answers are not capped
     * @param maxPageSize rows a {@code GET .../rows} returns when it gives no {@code limit}
     */
    public record Query(@DefaultValue("30s") Duration timeout, @DefaultValue("100000") long maxJsonRows,
                        @DefaultValue("1000") long maxPageSize) {
        public Query {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("mathdb.query.timeout must be positive");
            }
            if (maxJsonRows < 1 || maxPageSize < 1) {
                throw new IllegalArgumentException("mathdb.query.max-json-rows and max-page-size must be at least 1");
            }
        }
    }

    /**
     * @param returnIdleHeap after this long without a garbage collection, the JVM runs one and gives the heap it
     *                       no longer needs back to the system (G1's periodic collection): ingestion grows the heap
     *                       far past what the data keeps, and an in-memory database should not hold on to it.
     *                       0: leave the JVM as it is; a {@code -XX:G1PeriodicGCInterval} given to the JVM wins.
     * @param storeLimit     memory DuckDB, which holds the tables, may take (outside the JVM's heap); unset: DuckDB's
     *                       default, 80 % of the machine's memory
     */
    public record Memory(@DefaultValue("2s") Duration returnIdleHeap, DataSize storeLimit) {
        public Memory {
            if (returnIdleHeap.isNegative()) {
                throw new IllegalArgumentException("mathdb.memory.return-idle-heap must not be negative");
            }
            if (storeLimit != null && storeLimit.toBytes() <= 0) {
                throw new IllegalArgumentException("mathdb.memory.store-limit must be positive");
            }
        }

        long storeBytes() {
            return storeLimit == null ? 0 : storeLimit.toBytes();
        }
    }

    /** The plain options record the engine takes; the engine validates the values. */
    public DatabaseOptions toOptions() {
        return new DatabaseOptions(wal.flushInterval(), wal.segmentSize().toBytes(), snapshot.interval(),
                snapshot.walBytes().toBytes(), snapshot.retain(), snapshot.onShutdown(), read.connections(),
                read.mirrorBytes(), memory.storeBytes(), WalFiles.system());
    }
}
