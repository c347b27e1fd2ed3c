package io.mathdb.crash;

import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.RecoveryState;
import java.nio.file.Path;

/**
 * The engine alone, recovering the directory given as {@code --mathdb.data-dir=DIR}: about every millisecond it
 * prints its phase and the records replayed so far ({@code REPLAYING_LOG 1234}), then {@code READY <count>} or
 * {@code FAILED <count> <reason>}, and waits to be killed. Without Spring it starts in a fraction of a second, so a
 * test can kill it while a log of a few hundred thousand records is still being replayed.
 */
public final class RecoveringMain {
    private RecoveringMain() {
    }

    public static void main(String[] args) throws Exception {
        String dir = null;
        for (String arg : args) {
            if (arg.startsWith("--mathdb.data-dir=")) {
                dir = arg.substring("--mathdb.data-dir=".length());
            }
        }
        Database db = Database.start(Path.of(dir), DatabaseOptions.DEFAULTS);
        while (true) {
            RecoveryState state = db.recoveryState();
            System.out.println(state.phase() + " " + state.recordsReplayed()
                    + (state.failure() == null ? "" : " " + state.failure()));
            System.out.flush();
            if (state.phase() == RecoveryState.Phase.READY || state.phase() == RecoveryState.Phase.FAILED) {
                Thread.sleep(Long.MAX_VALUE);
            }
            Thread.sleep(1);
        }
    }
}
