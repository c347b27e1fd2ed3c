package io.mathdb.engine;

import io.mathdb.engine.query.Lockdown;
import io.mathdb.engine.query.QueryEngine;
import io.mathdb.engine.schema.Catalog;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import io.mathdb.engine.store.DuckStore;
import io.mathdb.engine.store.KeyLookups;
import io.mathdb.engine.store.ReadPool;
import io.mathdb.engine.store.RowMirrors;
import io.mathdb.engine.write.Mutation;
import io.mathdb.engine.write.RowChange;
import io.mathdb.engine.write.Writer;
import io.mathdb.engine.store.FileImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBConnection;

/**
 * A MathDB database: typed tables in an in-memory DuckDB, every change logged before it is applied, one writer
 * thread, many readers.
 *
 * <pre>{@code
 * try (var db = Database.open(Path.of("data"), DatabaseOptions.DEFAULTS)) {
 *     var users = db.create(TableSchema.of("users", Column.key("id", ColumnType.parse("Int64")),
 *             Column.of("name", ColumnType.parse("Utf8"))));
 *     users.insert(Map.of("id", 1L, "name", "Alice"));
 *     users.get(1L);
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final Path dir;
    private final DirectoryLock lock;
    private final DuckStore store;
    private final Catalog catalog = new Catalog();
    private final Writer writer;
    private final RowMirrors mirrors;
    private final KeyLookups lookups;
    private final ReadPool reads;
    private final QueryEngine queries;
    private final CompletableFuture<Storage> storage = new CompletableFuture<>();
    private final Thread recovery;
    private volatile RecoveryState state = new RecoveryState(RecoveryState.Phase.LOADING_SNAPSHOT, 0, 0, null, null);

    private Database(Path dir, DatabaseOptions options) throws SQLException {
        this.dir = dir;
        lock = DirectoryLock.acquire(dir);
        try {
            store = new DuckStore(options.storeMemoryBytes());
            queries = openQueries(dir);
            mirrors = new RowMirrors(store, writerGate(), options.mirrorBytes());
            writer = new Writer(store, catalog, dir.resolve("tmp"), mirrors);
            lookups = new KeyLookups(store, 2);
            reads = new ReadPool(store, options.readConnections());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        recovery = new Thread(() -> recover(options), "mathdb-recovery");
        recovery.setDaemon(true);
        recovery.start();
    }

    /**
     * Takes the data directory and starts recovering it on a thread of its own; returns at once. Calls wait for
     * nothing: until recovery is done they fail with {@code recovering}; {@link #recoveryState()} shows progress
     * and {@link #ready()} completes when the database serves, or fails with the reason it cannot.
     */
    public static Database start(Path dir, DatabaseOptions options) {
        try {
            return new Database(dir, options);
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /** Opens the database in {@code dir}, which only this process may use, recovering whatever it holds. */
    public static Database open(Path dir, DatabaseOptions options) {
        Database db = start(dir, options);
        try {
            db.storage.join();
        } catch (CompletionException e) {
            db.close();
            throw e.getCause() instanceof MathDbException m ? m
                    : new MathDbException(ErrorCode.CORRUPT_DATA, String.valueOf(e.getCause().getMessage()), e.getCause());
        }
        return db;
    }

    public static Database open(Path dir) {
        return open(dir, DatabaseOptions.DEFAULTS);
    }

    private void recover(DatabaseOptions options) {
        try {
            Storage recovered = Storage.recover(dir, options, store, catalog, writer, s -> state = s);
            RecoveryReport report = recovered.recovery();
            LOG.info(() -> "MathDB recovered " + dir + ": snapshot LSN " + report.snapshotLsn() + ", "
                    + report.recordsReplayed() + " records replayed, " + report.bytesTruncated()
                    + " bytes of torn tail cut, in " + report.duration().toMillis() + " ms");
            state = new RecoveryState(RecoveryState.Phase.READY, report.recordsReplayed(), 0, report, null);
            storage.complete(recovered);
        } catch (Exception | Error e) {
            MathDbException failure = e instanceof MathDbException m ? m
                    : new MathDbException(ErrorCode.CORRUPT_DATA, "cannot recover " + dir + ": " + e.getMessage(), e);
            LOG.log(Level.SEVERE, "MathDB refuses to start: " + failure.getMessage(), e);
            state = new RecoveryState(RecoveryState.Phase.FAILED, state.recordsReplayed(), state.bytesRead(), null,
                    failure.getMessage());
            storage.completeExceptionally(failure);
        }
    }

    /** Where recovery is: progress while it runs, then its report or the reason it failed. */
    public RecoveryState recoveryState() {
        return state;
    }

    /** Completes once the database serves; fails with the reason recovery stopped. */
    public CompletableFuture<Void> ready() {
        return storage.thenApply(s -> null);
    }

    /** The recovered storage, or {@code recovering} (or the recovery failure) while there is none. */
    private Storage storage() {
        Storage s = recovered();
        if (s != null) {
            return s;
        }
        if (state.phase() == RecoveryState.Phase.FAILED) {
            throw new MathDbException(ErrorCode.RECOVERY_FAILED, "the database did not recover: " + state.failure());
        }
        throw new MathDbException(ErrorCode.RECOVERING, "the database is recovering (" + state.recordsReplayed()
                + " log records replayed so far); try again shortly");
    }

    /** The storage once recovery has succeeded, else null (never throws: {@code getNow} would, after a failure). */
    private Storage recovered() {
        return storage.isDone() && !storage.isCompletedExceptionally() ? storage.join() : null;
    }

    // ---- tables ----

    public Table create(TableSchema schema) {
        createTable(schema, Durability.DEFAULT);
        return new Table(this, schema.name());
    }

    public WriteResult createTable(TableSchema schema, Durability durability) {
        storage();
        return await(writer.submit(new Mutation.CreateTable(schema), durability));
    }

    public WriteResult drop(String table, Durability durability) {
        storage();
        return await(writer.submit(new Mutation.DropTable(catalog.require(table).name()), durability));
    }

    /** A handle on an existing table; {@code no_such_table} if there is none. */
    public Table table(String name) {
        storage();
        return new Table(this, catalog.require(name).name());
    }

    public Optional<Table> find(String name) {
        storage();
        TableSchema schema = catalog.find(name);
        return schema == null ? Optional.empty() : Optional.of(new Table(this, schema.name()));
    }

    public TableSchema schema(String table) {
        storage();
        return catalog.require(table);
    }

    /** Every table with its schema and row count, by name. */
    public List<TableInfo> tables() {
        storage();
        List<TableInfo> infos = new ArrayList<>();
        for (TableSchema schema : catalog.all()) {
            infos.add(new TableInfo(schema, count(schema.name())));
        }
        return infos;
    }

    // ---- writes ----

    WriteResult insert(String table, List<? extends Map<String, ?>> rows, OnConflict onConflict,
                       Durability durability) {
        return await(insertAsync(table, rows, onConflict, durability));
    }

    /** As {@link #insert}, but returns once the rows are queued; refuses bad rows at once, before queueing. */
    CompletableFuture<WriteResult> insertAsync(String table, List<? extends Map<String, ?>> rows,
                                               OnConflict onConflict, Durability durability) {
        CoercedRows coerced = coerceRows(table);
        rows.forEach(coerced::add);
        return insertAsync(coerced, onConflict, durability);
    }

    /**
     * An empty batch of rows for {@code table}, to be coerced as the caller reads them and then inserted with
     * {@link #insertAsync(CoercedRows, OnConflict, Durability)}; {@code no_such_table} if there is none.
     */
    public CoercedRows coerceRows(String table) {
        storage();
        return new CoercedRows(catalog.require(table));
    }

    /**
     * Inserts rows coerced by {@link #coerceRows}, all or none, without waiting: a batch with a refused row (or none
     * at all) is refused at once; otherwise the future completes when the write is acknowledged, or fails with a
     * {@link MathDbException}. With {@link OnConflict#ERROR} a key that exists or repeats fails the whole call.
     */
    public CompletableFuture<WriteResult> insertAsync(CoercedRows rows, OnConflict onConflict,
                                                      Durability durability) {
        storage();
        long version = catalog.version();
        TableSchema schema = catalog.require(rows.schema().name());
        if (schema != rows.schema()) {
            // Dropped and created again while the rows were read (a body can take seconds to arrive): they were
            // coerced for columns that are gone, and the writer must not meet values of the wrong classes.
            throw new MathDbException(ErrorCode.NO_SUCH_TABLE, "table '" + schema.name() + "' was dropped while "
                    + "the rows were read, and created again; nothing was written");
        }
        if (rows.refusal() != null) {
            throw located(rows.refusal(), at(rows.size(), "rows", rows.refusedAt()));
        }
        RowChange.Kind kind = switch (onConflict) {
            case ERROR -> RowChange.Kind.INSERT;
            case UPDATE -> RowChange.Kind.UPSERT;
            case IGNORE -> RowChange.Kind.INSERT_IGNORE;
        };
        int key = schema.keyIndex();
        List<RowChange> changes = new ArrayList<>(rows.size());
        for (Object[] values : rows.rows()) {
            changes.add(new RowChange(kind, schema.name(), values[key], values, null));
        }
        // the schema the rows were coerced for is the table's at this version, however long ago they were read
        return submitAsync(changes, durability, version);
    }

    /**
     * Imports a whole file of rows (CSV, NDJSON or Parquet) read from {@code body}: all of them or, if any row is
     * refused, none, logged like any write. The body is spooled to a file in the data directory first, so neither it
     * nor the rows ever sit whole in the Java heap.
     */
    public WriteResult importRows(String table, InputStream body, ImportFormat format, OnConflict onConflict,
                                  Durability durability) {
        storage();
        TableSchema schema = catalog.require(table);
        Path file = null;
        try {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            file = Files.createTempFile(tmp, "import-", "." + format.extension());
            try (OutputStream out = Files.newOutputStream(file)) {
                body.transferTo(out);
            }
            return await(writer.exclusive(new FileImport(store, schema, file, format, onConflict), durability));
        } catch (IOException e) {
            // reading the body failed (the client went away, or the transport refused it): the caller's concern
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot delete import spool file " + file, e);
                }
            }
        }
    }

    /** Applies the operations in order, atomically: all of them or, if any fails, none. */
    public WriteResult batch(List<RowOp> ops, Durability durability) {
        if (ops == null || ops.isEmpty()) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "a batch needs at least one operation");
        }
        storage();
        long version = catalog.version();
        List<RowChange> changes = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            try {
                changes.add(RowOps.toChange(catalog, ops.get(i)));
            } catch (MathDbException e) {
                throw located(e, at(ops.size(), "ops", i));
            }
        }
        return await(submitAsync(changes, durability, version));
    }

    /**
     * Queues the changes, coerced against the catalog at {@code version}; the future fails with a
     * {@link MathDbException} only.
     */
    private CompletableFuture<WriteResult> submitAsync(List<RowChange> changes, Durability durability,
                                                       long version) {
        if (changes.isEmpty()) {
            throw new MathDbException(ErrorCode.INVALID_REQUEST, "no rows to write");
        }
        String noted = null;
        for (RowChange change : changes) {
            if (!change.table().equals(noted)) {
                noted = change.table();
                TableSchema schema = catalog.find(noted);
                if (schema != null) {
                    mirrors.written(schema);
                }
            }
        }
        return writer.submit(new Mutation.RowChanges(changes), durability, version).handle((result, error) -> {
            if (error != null) {
                throw engineError(error);
            }
            return result;
        });
    }

    /** The writer, for tests that queue a request as a client racing a drop would. */
    Writer writer() {
        return writer;
    }

    /** DuckDB, for tests that look at what it holds beyond the tables (their indexes). */
    DuckStore store() {
        return store;
    }

    // ---- reads ----

    Optional<Map<String, Object>> get(String table, Object key) {
        storage();
        TableSchema schema = catalog.require(table);
        Object coerced = schema.coerceKey(key);
        Object[] row = mirrors.lookup(schema, coerced);
        if (row == RowMirrors.ASK_STORE) {
            writer.awaitStored();
            row = await(lookups.get(schema, coerced));
        }
        return row == null ? Optional.empty() : Optional.of(schema.toMap(row));
    }

    long count(String table) {
        storage();
        TableSchema schema = catalog.require(table);
        writer.awaitStored();
        return reads.read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM main." + Names.quote(schema.name()))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The LSN of the last write visible to readers. */
    public long lastLsn() {
        return writer.appliedLsn();
    }

    /** Memory DuckDB holds now, which {@code DatabaseOptions.storeMemoryBytes} caps. */
    public long storeMemoryBytes() {
        try {
            return store.memoryBytes();
        } catch (SQLException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot read DuckDB's memory: " + e.getMessage(), e);
        }
    }

    // ---- durability ----

    /** Fsyncs the log now; returns the durable LSN: every write acknowledged before the call survives power loss. */
    public long flush() {
        return storage().flush();
    }

    /** Takes a snapshot now, consistent at the current LSN, without stopping writers. */
    public SnapshotStatus snapshot() {
        return storage().snapshot();
    }

    public DatabaseStatus status() {
        return storage().status(writer, mirrors);
    }

    /** Why writes are stopped (the first log failure), or null while they are accepted. */
    public Throwable writeFailure() {
        return writer.failure();
    }

    // ---- lifecycle ----

    /**
     * Stops accepting writes, applies the queued ones, fsyncs the log (after a last snapshot if the options ask for
     * one) and releases the directory. Nothing acknowledged is lost. A caller's interrupt is set aside until the
     * end: an interrupted thread would close the log's channel at its last fsync, so the log could not finish.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            awaitRecovery();
            mirrors.closing();
            writer.close();
            interrupted |= Thread.interrupted(); // both keep an interrupt that came while they waited
            closeStorage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeStorage() {
        try {
            Storage s = recovered();
            if (s != null) {
                s.close();
            }
        } finally {
            try {
                mirrors.close();
                lookups.close();
                reads.close();
                store.close();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "closing DuckDB failed", e);
            }
            closeQuietly(lock);
        }
    }

    /**
     * A close during recovery (a SIGTERM while the log replays) waits for it: recovery may still be cutting a torn
     * tail or starting a segment, and the directory lock must not be released under it.
     */
    private void awaitRecovery() {
        if (Thread.currentThread() == recovery) {
            return;
        }
        try {
            recovery.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(DirectoryLock lock) {
        try {
            lock.close();
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "cannot release the data directory lock", e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            throw engineError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MathDbException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    /** Why a queued operation failed, as the engine's exception: itself, its cause, or an internal error. */
    private static MathDbException engineError(Throwable error) {
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error instanceof MathDbException m ? m
                : new MathDbException(ErrorCode.INTERNAL, String.valueOf(error), error);
    }

    private static String at(int size, String what, int index) {
        return size > 1 ? what + "[" + index + "]: " : "";
    }

    private static MathDbException located(MathDbException e, String where) {
        return where.isEmpty() ? e : new MathDbException(e.code(), where + e.getMessage(), e);
    }

    // ---- queries ----

    /** Filtered reads, read-only SQL and exports; see {@link io.mathdb.engine.query}. */
    public QueryEngine queries() {
        storage();
        return queries;
    }

    /**
     * Locks DuckDB's file access down to {@code snapshots/} and {@code tmp/} before any user SQL can run (see
     * {@link Lockdown}), after clearing answer files a crash left in {@code tmp/}.
     */
    private QueryEngine openQueries(Path dir) throws SQLException {
        Path tmp = dir.resolve("tmp");
        try {
            if (Files.isDirectory(tmp)) {
                try (var stale = Files.walk(tmp)) {
                    for (Path p : (Iterable<Path>) stale.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        if (!p.equals(tmp)) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot prepare " + tmp + ": " + e, e);
        }
        try (DuckDBConnection c = store.connect()) {
            Lockdown.apply(c, List.of(dir.resolve("snapshots"), tmp));
        }
        return new QueryEngine(() -> {
            writer.awaitStored();
            return store.connect();
        }, catalog, this::pinRead, tmp);
    }

    /** Where the heap copies of tables meet the writer: their scans begin, and they go live, between two groups. */
    private RowMirrors.WriterGate writerGate() {
        return new RowMirrors.WriterGate() {
            @Override
            public void pin(DuckDBConnection c, TableSchema schema, Runnable atPin) {
                await(writer.between(() -> {
                    if (catalog.find(schema.name()) != schema) {
                        throw new MathDbException(ErrorCode.NO_SUCH_TABLE, "table '" + schema.name()
                                + "' was dropped");
                    }
                    QueryEngine.beginPinned(c, schema.name());
                    atPin.run();
                    return null;
                }));
            }

            @Override
            public void between(Runnable task) {
                await(writer.between(() -> {
                    task.run();
                    return null;
                }));
            }
        };
    }

    /** Begins {@code c}'s read transaction while DuckDB holds exactly the log up to an LSN, and returns it. */
    private long pinRead(DuckDBConnection c, String table) {
        return await(writer.pinned(lsn -> {
            QueryEngine.beginPinned(c, table);
            return lsn;
        }));
    }
}
