package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Writers and readers at once over HTTP. Each writer owns one key and increments it by read-then-upsert, so a lost
 * or reordered update shows as a counter that skips or ends short. Every row written is self-consistent
 * ({@code twice = 2n}, {@code label = "k-n"}), so a torn read (columns from two writes) shows as a mismatch.
 */
class ConcurrentHttpTest extends HttpTestSupport {
    private static final int WRITERS = 8;
    private static final int READERS = 4;
    private static final int INCREMENTS = 40;
    private static final int MAX_READS = 20_000;

    private static String row(int key, long n) {
        return "{\"id\":" + key + ",\"n\":" + n + ",\"twice\":" + 2 * n + ",\"label\":\"" + key + "-" + n + "\"}";
    }

    @Test
    void concurrentIncrementsLoseNoUpdateAndReadsAreNeverTorn() throws Exception {
        createTable("counters", "id Int64 key, n Int64 notnull, twice Int64 notnull, label Utf8 notnull");
        StringBuilder initial = new StringBuilder("[");
        for (int k = 0; k < WRITERS; k++) {
            initial.append(k == 0 ? "" : ",").append(row(k, 0));
        }
        assertThat(post("/tables/counters/rows", initial.append(']').toString()).status()).isEqualTo(201);

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int k = 0; k < WRITERS; k++) {
                int key = k;
                writers.add(pool.submit(() -> increment(key)));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> readWhile(writing)));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);
            int reads = 0;
            for (Future<Integer> reader : readers) {
                reads += reader.get();
            }
            assertThat(reads).isPositive();
        } finally {
            pool.shutdownNow();
        }

        for (int k = 0; k < WRITERS; k++) {
            JsonNode stored = get("/tables/counters/rows/" + k).json();
            assertThat(stored.get("n").longValue()).as("key %d", k).isEqualTo(INCREMENTS);
            assertConsistent(k, stored);
        }
    }

    /** Read the row, upsert it with n + 1; the read must always see this writer's previous write. */
    private Void increment(int key) {
        for (int i = 1; i <= INCREMENTS; i++) {
            Reply current = get("/tables/counters/rows/" + key);
            assertThat(current.status()).isEqualTo(200);
            long n = current.json().get("n").longValue();
            assertThat(n).as("key %d before increment %d", key, i).isEqualTo(i - 1);
            Reply write = post("/tables/counters/rows?on_conflict=update", row(key, n + 1));
            assertThat(write.status()).as(write.body()).isEqualTo(201);
        }
        return null;
    }

    /** Reads random rows until the writers finish; every row is whole, and no key's counter goes backwards. */
    private Integer readWhile(AtomicBoolean writing) {
        Map<Integer, Long> lastSeen = new HashMap<>();
        int reads = 0;
        while (writing.get() && reads < MAX_READS) {
            int key = ThreadLocalRandom.current().nextInt(WRITERS);
            Reply reply = get("/tables/counters/rows/" + key);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode stored = reply.json();
            assertConsistent(key, stored);
            long n = stored.get("n").longValue();
            assertThat(n).as("key %d went backwards", key).isGreaterThanOrEqualTo(lastSeen.getOrDefault(key, 0L));
            lastSeen.put(key, n);
            reads++;
        }
        return reads;
    }

    private static void assertConsistent(int key, JsonNode stored) {
        long n = stored.get("n").longValue();
        assertThat(stored.get("twice").longValue()).as("torn row %s", stored).isEqualTo(2 * n);
        assertThat(stored.get("label").stringValue()).as("torn row %s", stored).isEqualTo(key + "-" + n);
    }
}
