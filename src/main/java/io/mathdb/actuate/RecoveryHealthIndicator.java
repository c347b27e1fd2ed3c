package io.mathdb.actuate;

import io.mathdb.engine.Database;
import io.mathdb.engine.RecoveryReport;
import io.mathdb.engine.RecoveryState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code recovery}: OUT_OF_SERVICE with progress while the log replays (the readiness group
 * includes it, so the service is not ready), UP with the report afterwards, DOWN with the reason if it failed.
 */
@Component("recovery")
class RecoveryHealthIndicator implements HealthIndicator {
    private final Database db;

    RecoveryHealthIndicator(Database db) {
        this.db = db;
    }

    @Override
    public Health health() {
        RecoveryState state = db.recoveryState();
        return switch (state.phase()) {
            case LOADING_SNAPSHOT, REPLAYING_LOG -> Health.outOfService()
                    .withDetail("phase", state.phase().name().toLowerCase())
                    .withDetail("recordsReplayed", state.recordsReplayed())
                    .withDetail("bytesRead", state.bytesRead())
                    .build();
            case READY -> up(state.report());
            case FAILED -> Health.down().withDetail("error", String.valueOf(state.failure())).build();
        };
    }

    private static Health up(RecoveryReport report) {
        Health.Builder health = Health.up()
                .withDetail("snapshotLsn", report.snapshotLsn())
                .withDetail("recordsReplayed", report.recordsReplayed())
                .withDetail("bytesTruncated", report.bytesTruncated())
                .withDetail("lastLsn", report.lastLsn())
                .withDetail("durationMs", report.duration().toMillis());
        if (report.tornFile() != null) {
            health.withDetail("tornTail", report.tornFile() + " at byte " + report.tornOffset());
        }
        if (!report.skippedSnapshots().isEmpty()) {
            health.withDetail("skippedSnapshots", report.skippedSnapshots());
        }
        return health.build();
    }
}
