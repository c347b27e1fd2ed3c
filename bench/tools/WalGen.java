import io.mathdb.engine.Database;
import io.mathdb.engine.DatabaseOptions;
import io.mathdb.engine.Durability;
import io.mathdb.engine.OnConflict;
import io.mathdb.engine.Table;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes an insert-only log of COUNT single-row records (one insert call = one record) into DIR through the engine
 * API, with snapshots off, so that a restart replays all of it (W7). Rows as in Load.java.
 * Usage: java -cp CLASSES WalGen.java DIR COUNT [THREADS]
 */
public class WalGen {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        long count = Long.parseLong(a[1]);
        int threads = a.length > 2 ? Integer.parseInt(a[2]) : 64;
        DatabaseOptions options = DatabaseOptions.DEFAULTS.withSnapshots(Duration.ZERO, 0, 2, false);
        long t0 = System.nanoTime();
        try (Database db = Database.open(dir, options)) {
            Table t = db.create(TableSchema.of("wal",
                    Column.key("id", ColumnType.parse("Int64")),
                    Column.of("name", ColumnType.parse("Utf8")),
                    Column.of("age", ColumnType.parse("Int32"))));
            AtomicLong next = new AtomicLong(1);
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread th = new Thread(() -> {
                    for (long id = next.getAndIncrement(); id <= count; id = next.getAndIncrement()) {
                        t.insert(List.of(Map.of("id", id, "name", Load.name(id), "age", (int) (id % 100))),
                                OnConflict.ERROR, Durability.DEFAULT);
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                th.join();
            }
            db.flush();
            System.out.printf("wrote %d single-row insert records in %.1f s; last LSN %d%n", count,
                    (System.nanoTime() - t0) / 1e9, db.lastLsn());
        }
    }

    static final class Load {
        static String name(long id) {
            String d = Long.toString(id % 1_000_000_000L);
            return "n" + "000000000".substring(d.length()) + d;
        }
    }
}
