package io.mathdb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class OutOfMemoryTest {
    private static final String ADVICE = "\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)\n"
            + "* Increasing the memory limit (SET memory_limit='...GB')\n";

    @Test
    void duckDbsWaysOfRunningOutOfMemoryAreToldByTheirFirstLineWithoutItsAdvice() {
        for (String first : new String[] {
                "TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB (7.8 MiB/8.0 MiB used)",
                "TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (7.9 MiB/8.0 MiB used)",
                "FATAL Error: Failed to create checkpoint because of error: failed to allocate data of size 3.0 MiB",
                "Out of Memory Error: could not allocate block of size 256.0 KiB"}) {
            Exception wrapped = new IllegalStateException("wrapped", new SQLException(first + ADVICE));
            assertThat(OutOfMemory.is(wrapped)).as(first).isTrue();
            assertThat(OutOfMemory.describe(new SQLException(first + ADVICE)))
                    .isEqualTo("DuckDB is out of the memory it may take (mathdb.memory.store-limit): " + first);
        }
    }

    @Test
    void otherRefusalsAreNotOutOfMemory() {
        assertThat(OutOfMemory.is(new SQLException("Constraint Error: Duplicate key \"id: 1\""))).isFalse();
        assertThat(OutOfMemory.is(new SQLException((String) null))).isFalse();
    }
}
