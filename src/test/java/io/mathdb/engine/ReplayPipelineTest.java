package io.mathdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mathdb.engine.wal.WalRecord;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.ReplayException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayPipelineTest {

    private static List<WalRecord> batch(long firstLsn, int size) {
        List<WalRecord> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(new WalRecord(firstLsn + i, (byte) 1, new byte[0]));
        }
        return records;
    }

    /** One dropped-table mutation per record, so a test can see which records were applied. */
    private static List<Mutation> decode(List<WalRecord> records) {
        List<Mutation> mutations = new ArrayList<>();
        for (WalRecord r : records) {
            mutations.add(new Mutation.DropTable("t" + r.lsn()));
        }
        return mutations;
    }

    @Test
    void batchesAreAppliedInOrderOnOneThreadOfTheirOwn() {
        List<Long> applied = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (ReplayPipeline pipeline = new ReplayPipeline(ReplayPipelineTest::decode, (mutations, first) -> {
            applied.add(first);
            threads.add(Thread.currentThread().getName());
        })) {
            for (long first = 1; first <= 40; first += 4) {
                pipeline.accept(batch(first, 4));
            }
            pipeline.drain();
        }
        assertThat(applied).containsExactly(1L, 5L, 9L, 13L, 17L, 21L, 25L, 29L, 33L, 37L);
        assertThat(threads).containsOnly("mathdb-replay-apply");
    }

    @Test
    void nextBatchIsDecodedWhileThePreviousOneIsApplied() {
        CountDownLatch secondDecoded = new CountDownLatch(1);
        List<Boolean> decodedWhileApplying = new ArrayList<>();
        try (ReplayPipeline pipeline = new ReplayPipeline(records -> {
            if (records.get(0).lsn() == 2) {
                secondDecoded.countDown();
            }
            return decode(records);
        }, (mutations, first) -> {
            if (first == 1) {
                try {
                    // false if decoding the second batch had to wait for this apply (a bound, not a timing)
                    decodedWhileApplying.add(secondDecoded.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        })) {
            pipeline.accept(batch(1, 1));
            pipeline.accept(batch(2, 1));
            pipeline.drain();
        }
        assertThat(decodedWhileApplying).containsExactly(true);
    }

    @Test
    void batchThatFailsToApplyStopsTheNextHandOver() {
        List<Long> applied = new ArrayList<>();
        try (ReplayPipeline pipeline = new ReplayPipeline(ReplayPipelineTest::decode, (mutations, first) -> {
            if (first == 3) {
                throw new ReplayException(4, new IllegalStateException("duplicate key"));
            }
            applied.add(first);
        })) {
            pipeline.accept(batch(1, 2));
            pipeline.accept(batch(3, 2));
            assertThatThrownBy(() -> {
                pipeline.accept(batch(5, 2));
                pipeline.drain();
            }).isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(4));
            assertThat(applied).containsExactly(1L);
        }
    }

    @Test
    void drainAfterALaterErrorReportsTheEarlierFailedBatch() {
        ReplayPipeline pipeline = new ReplayPipeline(ReplayPipelineTest::decode, (mutations, first) -> {
            throw new ReplayException(first, new IllegalStateException("does not apply"));
        });
        pipeline.accept(batch(7, 3));
        // the reader now meets a corrupt record at LSN 10; the batch from LSN 7 is the first thing wrong
        assertThatThrownBy(pipeline::drain)
                .isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.lsn()).isEqualTo(7));
        pipeline.close();
    }
}
