package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.Database;
import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process per data directory (contract point 9): a second one, in-process or a second service, fails at once
 * naming the directory; a lock left by {@code kill -9} does not stop a restart, since the kernel drops it.
 */
class DirectoryLockTest {
    @TempDir
    Path tmp;

    @Test
    void secondProcessOnARunningServicesDirectoryRefusesAndAStaleLockAfterKillNineDoesNot() throws Exception {
        Path dir = tmp.resolve("data");
        try (ServiceProcess holder = ServiceProcess.startReady(dir)) {
            holder.client.createAckTable("acks");
            String where = dir.toAbsolutePath().toString();

            assertThatThrownBy(() -> Database.open(dir)).isInstanceOfSatisfying(MathDbException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DIRECTORY_LOCKED);
                assertThat(e.getMessage()).contains(where, "in use by another MathDB process");
            });

            try (ServiceProcess second = ServiceProcess.start(dir)) {
                int status = second.awaitExit();
                assertThat(status).as(second.logTail()).isNotZero();
                assertThat(second.output()).contains("data directory " + where + " is in use by another MathDB process");
            }
            assertThat(holder.client.count("acks")).as("the holder serves on").isZero();
            holder.kill9();
        }
        try (ServiceProcess restarted = ServiceProcess.startReady(dir)) {
            assertThat(restarted.client.count("acks")).isZero();
        }
    }
}
