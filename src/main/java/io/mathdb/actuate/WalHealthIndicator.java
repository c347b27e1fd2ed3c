package io.mathdb.actuate;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseStatus;
import io.mathdb.engine.RecoveryState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health component {@code wal}: DOWN once a log write or fsync has failed and writes are stopped. */
@Component("wal")
class WalHealthIndicator implements HealthIndicator {
    private final Database db;

    WalHealthIndicator(Database db) {
        this.db = db;
    }

    @Override
    public Health health() {
        if (db.recoveryState().phase() != RecoveryState.Phase.READY) {
            return Health.unknown().withDetail("phase", db.recoveryState().phase().name().toLowerCase()).build();
        }
        DatabaseStatus status = db.status();
        Health.Builder health = status.writesStopped() == null ? Health.up()
                : Health.down().withDetail("error", "writes stopped: " + status.writesStopped());
        return health.withDetail("lastLsn", status.lastLsn())
                .withDetail("durableLsn", status.durableLsn())
                .withDetail("flushLagMs", status.flushLagMillis())
                .build();
    }
}
