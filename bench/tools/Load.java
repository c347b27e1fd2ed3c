import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads rows (id, name, age) into a table over HTTP with 1000-row JSON arrays: keys start..start+count-1,
 * name = "n" + 9 digits (10 characters), age = id % 100. Used to prepare tables, not to measure.
 * Usage: java Load.java BASE_URL TABLE START COUNT [BATCH] [THREADS] [QUERY]
 */
public class Load {
    public static void main(String[] a) throws Exception {
        String base = a[0];
        String table = a[1];
        long start = Long.parseLong(a[2]);
        long count = Long.parseLong(a[3]);
        int batch = a.length > 4 ? Integer.parseInt(a[4]) : 1000;
        int threads = a.length > 5 ? Integer.parseInt(a[5]) : 4;
        String query = a.length > 6 ? a[6] : "";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(base + "/tables/" + table + "/rows" + query);
        AtomicLong next = new AtomicLong(0);
        long t0 = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                StringBuilder sb = new StringBuilder(batch * 48);
                while (failure[0] == null) {
                    long from = next.getAndAdd(batch);
                    if (from >= count) {
                        return;
                    }
                    long to = Math.min(count, from + batch);
                    sb.setLength(0);
                    sb.append('[');
                    for (long i = from; i < to; i++) {
                        long id = start + i;
                        if (i > from) {
                            sb.append(',');
                        }
                        sb.append("{\"id\":").append(id).append(",\"name\":\"").append(name(id))
                                .append("\",\"age\":").append(id % 100).append('}');
                    }
                    sb.append(']');
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofMinutes(5))
                                .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 != 2) {
                            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        }
                    } catch (Throwable e) {
                        failure[0] = e;
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failure[0] != null) {
            System.err.println("load failed: " + failure[0]);
            System.exit(1);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("loaded %d rows into %s in %.1f s (%.0f rows/s)%n", count, table, s, count / s);
    }

    static String name(long id) {
        String d = Long.toString(id % 1_000_000_000L);
        return "n" + "000000000".substring(d.length()) + d;
    }
}
