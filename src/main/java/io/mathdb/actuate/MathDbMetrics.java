package io.mathdb.actuate;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseStatus;
import io.mathdb.engine.RecoveryState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/** The log, snapshot and recovery meters of MathDB, read from the database's status when scraped. */
@Component
class MathDbMetrics implements MeterBinder {
    private final Database db;

    MathDbMetrics(Database db) {
        this.db = db;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "mathdb.wal.lsn.last", "LSN of the last write applied", null, s -> s.lastLsn());
        gauge(registry, "mathdb.wal.lsn.durable", "LSN up to which the log is fsynced", null, s -> s.durableLsn());
        gauge(registry, "mathdb.wal.flush.lag", "age of the oldest write not yet fsynced", "seconds",
                s -> s.flushLagMillis() / 1000.0);
        gauge(registry, "mathdb.wal.segments", "log segment files on disk", null, s -> s.segmentCount());
        gauge(registry, "mathdb.wal.size", "bytes of log on disk", BaseUnits.BYTES, s -> s.walBytes());
        gauge(registry, "mathdb.snapshot.lsn", "LSN of the newest snapshot", null,
                s -> s.lastSnapshot() == null ? 0 : s.lastSnapshot().lsn());
        gauge(registry, "mathdb.snapshot.size", "bytes of the newest snapshot", BaseUnits.BYTES,
                s -> s.lastSnapshot() == null ? 0 : s.lastSnapshot().bytes());
        gauge(registry, "mathdb.writes.stopped", "1 once a log failure has stopped writes", null,
                s -> s.writesStopped() == null ? 0 : 1);
        gauge(registry, "mathdb.mirror.rows", "rows held by the in-heap copies that answer reads by key", null,
                s -> s.mirrorRows());
        gauge(registry, "mathdb.mirror.size", "estimated heap taken by the copies that answer reads by key",
                BaseUnits.BYTES, s -> s.mirrorBytes());
        gauge(registry, "mathdb.backlog.rows", "rows acknowledged on the in-heap copies and not yet applied to DuckDB",
                null, s -> s.backlogRows());
        Gauge.builder("mathdb.store.memory", db, d -> ready(d) ? d.storeMemoryBytes() : Double.NaN)
                .description("memory DuckDB holds (tables, indexes, buffers); mathdb.memory.store-limit caps it")
                .baseUnit(BaseUnits.BYTES).register(registry);
        FunctionCounter.builder("mathdb.recovery.records", db, d -> report(d, true))
                .description("log records replayed by the last recovery").register(registry);
        FunctionCounter.builder("mathdb.recovery.torn.bytes", db, d -> report(d, false))
                .description("bytes of torn log tail cut off by the last recovery").baseUnit(BaseUnits.BYTES)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<DatabaseStatus> value) {
        Gauge.builder(name, db, d -> ready(d) ? value.applyAsDouble(d.status()) : Double.NaN)
                .description(description).baseUnit(unit).register(registry);
    }

    private static boolean ready(Database d) {
        return d.recoveryState().phase() == RecoveryState.Phase.READY;
    }

    private static double report(Database d, boolean records) {
        RecoveryState state = d.recoveryState();
        if (state.report() == null) {
            return 0;
        }
        return records ? state.report().recordsReplayed() : state.report().bytesTruncated();
    }
}
