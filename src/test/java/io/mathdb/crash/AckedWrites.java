package io.mathdb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients that each insert their own sequence of keys into one table (client c writes seq 0, 1, 2, ...,
 * each only after the previous one was acknowledged), and remember what was acknowledged. Against a restarted service
 * it checks the durability contract: every acknowledged write is there, and each client's rows are exactly a prefix
 * 0..k of its sequence, k at least its last acknowledged seq (at most one more: the request the crash cut off).
 * Writes go on across restarts from where the recovered state ends.
 */
final class AckedWrites {
    private static final long KEY_SPACE = 1_000_000;

    private final String table;
    private final String query;
    private final int clients;
    /** Per client: the next seq to write, and the last one acknowledged (-1: none yet). Touched by one thread at a time. */
    private final long[] next;
    private final long[] lastAcked;
    private final AtomicLong totalAcks = new AtomicLong();

    /** @param query appended to each insert, e.g. {@code "?durability=sync"} or {@code ""} */
    AckedWrites(String table, String query, int clients) {
        this.table = table;
        this.query = query;
        this.clients = clients;
        this.next = new long[clients];
        this.lastAcked = new long[clients];
        java.util.Arrays.fill(lastAcked, -1);
    }

    static long key(int client, long seq) {
        return client * KEY_SPACE + seq;
    }

    long totalAcks() {
        return totalAcks.get();
    }

    /**
     * Runs the clients against {@code service} until {@code acks} more writes are acknowledged, then calls
     * {@code stop} (kill the service, say) while they are still writing, and waits until each client has stopped:
     * at its first request that gets no answer, or any answer but 201. Returns the answers other than 201 seen.
     */
    List<ServiceClient.Reply> writeUntil(ServiceClient service, int acks, Runnable stop) throws Exception {
        CountDownLatch enough = new CountDownLatch(acks);
        List<ServiceClient.Reply> refusals = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                writers.add(pool.submit(() -> {
                    while (true) {
                        long seq = next[client];
                        String row = "{\"id\":" + key(client, seq) + ",\"client\":" + client + ",\"seq\":" + seq + "}";
                        ServiceClient.Reply reply;
                        try {
                            reply = service.send("POST", "/tables/" + table + "/rows" + query, row);
                        } catch (IOException e) {
                            return; // the service is gone; whether this write landed is for recovery to say
                        }
                        if (reply.status() != 201) {
                            refusals.add(reply);
                            return;
                        }
                        lastAcked[client] = seq;
                        next[client] = seq + 1;
                        totalAcks.incrementAndGet();
                        enough.countDown();
                    }
                }));
            }
            if (!enough.await(ServiceProcess.START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("only " + (acks - enough.getCount()) + " of " + acks + " writes acknowledged");
            }
            stop.run();
            for (Future<?> writer : writers) {
                writer.get(ServiceProcess.START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            return refusals;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Checks a restarted service: for each client, rows 0..lastAcked are there with their contents, at most one more
     * follows, and the table holds nothing else. Then the clients carry on after the recovered prefix.
     */
    void assertRecoveredPrefix(ServiceClient service) throws Exception {
        assertRecoveredPrefix(service, lastAcked());
    }

    /** The last acknowledged seq of each client, as it stands now. */
    long[] lastAcked() {
        return lastAcked.clone();
    }

    /**
     * As {@link #assertRecoveredPrefix(ServiceClient)}, but only the writes up to {@code durable[c]} must be there:
     * after a power loss, those acknowledged before the last fsync that covered them.
     */
    void assertRecoveredPrefix(ServiceClient service, long[] durable) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> prefixes = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                prefixes.add(pool.submit(() -> recoveredPrefix(service, client, durable[client])));
            }
            long rows = 0;
            for (int c = 0; c < clients; c++) {
                long k = prefixes.get(c).get();
                assertThat(k).as("client %d: its prefix ends between its last durable write %d and the one after "
                        + "its last acknowledged write %d", c, durable[c], lastAcked[c])
                        .isBetween(durable[c], lastAcked[c] + 1);
                lastAcked[c] = k;
                next[c] = k + 1;
                rows += k + 1;
            }
            assertThat(service.count(table)).as("rows in %s: the clients' prefixes and nothing else", table)
                    .isEqualTo(rows);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The last seq k of {@code client} such that 0..k are all present: 0..durable must be. */
    private long recoveredPrefix(ServiceClient service, int client, long durable) {
        for (long seq = 0; seq <= durable; seq++) {
            ServiceClient.Reply reply = service.get("/tables/" + table + "/rows/" + key(client, seq));
            assertThat(reply.status()).as("client %d seq %d was acknowledged: %s", client, seq, reply.body())
                    .isEqualTo(200);
            assertThat(reply.json().get("seq").asLong()).isEqualTo(seq);
            assertThat(reply.json().get("client").asInt()).isEqualTo(client);
        }
        long k = durable;
        while (service.get("/tables/" + table + "/rows/" + key(client, k + 1)).status() == 200) {
            k++;
        }
        return k;
    }
}
