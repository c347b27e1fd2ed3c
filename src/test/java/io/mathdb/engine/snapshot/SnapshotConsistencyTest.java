package io.mathdb.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mathdb.engine.schema.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots taken while another connection keeps committing hold exactly the state at the pin. */
class SnapshotConsistencyTest {
    @TempDir
    Path dir;

    @Test
    void snapshotUnderConcurrentInsertsHoldsExactlyTheRowsVisibleAtThePin() throws Exception {
        try (TestDb db = new TestDb()) {
            TableSchema items = db.simpleTable("items", 1000);
            TableSchema other = db.simpleTable("other", 10);
            // The "writer stands still" permit: the inserter holds it while committing one row, as the engine's
            // writer holds its loop between two groups.
            Semaphore writer = new Semaphore(1);
            AtomicLong inserted = new AtomicLong(1000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread inserter = new Thread(() -> {
                try (Connection c = db.conn.duplicate(); Statement s = c.createStatement()) {
                    while (!Thread.currentThread().isInterrupted()) {
                        writer.acquire();
                        try {
                            long id = inserted.incrementAndGet();
                            s.execute("INSERT INTO items VALUES (" + id + ", 'late')");
                            s.execute("INSERT INTO other VALUES (" + id + ", 'late')");
                        } finally {
                            writer.release();
                        }
                    }
                } catch (InterruptedException e) {
                    // Stopped by the test.
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            inserter.start();
            Thread.sleep(50);
            long atPin;
            try (Connection tx = db.conn.duplicate()) {
                writer.acquire();
                try {
                    atPin = inserted.get();
                    SnapshotWriter.beginReadTransaction(tx);
                } finally {
                    writer.release();
                }
                long before = inserted.get();
                SnapshotWriter.write(dir, tx, atPin, List.of(items, other));
                // The snapshot's transaction is still open: it must not hold the inserter up.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (inserted.get() <= before + 1 && failure.get() == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(inserted.get() > before + 1, "the inserter kept committing beside the snapshot");
                try (Statement s = tx.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } finally {
                inserter.interrupt();
                inserter.join();
            }
            assertNull(failure.get());

            VerifiedSnapshot snap = new SnapshotStore(dir).newestValid().snapshot().orElseThrow();
            assertEquals(atPin, snap.info().rowCounts().get("items"));
            assertEquals(atPin - 990, snap.info().rowCounts().get("other"));
            try (TestDb loaded = new TestDb()) {
                SnapshotLoader.load(snap, loaded.conn, loaded::create);
                assertEquals(List.of(List.of(String.valueOf(atPin), "1", String.valueOf(atPin))),
                        loaded.rows("SELECT count(*), min(id), max(id) FROM items"));
                assertEquals(List.of(List.of(String.valueOf(atPin - 990))), loaded.rows("SELECT count(*) FROM other"));
            }
        }
    }

    /** The DuckDB fact the pin rests on; if a DuckDB upgrade changes it, this test says so. */
    @Test
    void beginAloneDoesNotFixTheViewButTheCatalogQueryDoes() throws Exception {
        try (TestDb db = new TestDb()) {
            db.simpleTable("items", 1);
            try (Connection tx = db.conn.duplicate()) {
                try (Statement s = tx.createStatement()) {
                    s.execute("BEGIN TRANSACTION READ ONLY");
                    s.execute("SELECT 1");
                }
                db.exec("INSERT INTO items VALUES (2, 'after BEGIN')");
                assertEquals(List.of(List.of("2")), TestDb.rows(tx, "SELECT count(*) FROM items"),
                        "BEGIN and SELECT 1 leave the view open; the first table access fixes it");
                tx.createStatement().execute("ROLLBACK");
            }
            try (Connection tx = db.conn.duplicate()) {
                SnapshotWriter.beginReadTransaction(tx);
                db.exec("INSERT INTO items VALUES (3, 'after pin')");
                assertEquals(List.of(List.of("2")), TestDb.rows(tx, "SELECT count(*) FROM items"));
                tx.createStatement().execute("ROLLBACK");
            }
        }
    }
}
