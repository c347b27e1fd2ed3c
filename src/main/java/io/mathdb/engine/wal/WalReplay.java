package io.mathdb.engine.wal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Start-up recovery of the log: the steps of STORAGE.md, "Recovery". Reads the segments in LSN order,
 * checks headers, checksums and LSN continuity, cuts a torn tail off the newest segment, refuses
 * corruption, and hands the records after {@code afterLsn} to the engine in batches.
 */
public final class WalReplay {

    /** Most records in one batch handed to the sink. */
    public static final int BATCH_RECORDS = 16_384;
    /**
     * Most payload bytes in one batch: a batch is held in the heap while the engine applies it, and a few large
     * records (bulk import chunks) must not add up to more than a small heap holds.
     */
    public static final int BATCH_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(WalReplay.class.getName());

    /**
     * What recovery found.
     *
     * @param lastLsn         the last LSN in the log, or {@code afterLsn} if that is larger: open the writer after it
     * @param recordsReplayed records handed to the sink
     * @param bytesTruncated  bytes cut off as a torn tail (0 if none)
     * @param tornFile        the segment that ended in a torn tail, or null
     * @param tornOffset      the byte offset in {@code tornFile} where the tail was cut, or -1
     */
    public record Result(long lastLsn, long recordsReplayed, long bytesTruncated, Path tornFile, long tornOffset) {

        public boolean hadTornTail() {
            return tornFile != null;
        }

        public long nextLsn() {
            return lastLsn + 1;
        }
    }

    private WalReplay() {
    }

    public static Result replay(Path walDir, long afterLsn, WalRecordSink sink) throws IOException {
        return replay(walDir, afterLsn, sink, new ReplayProgress());
    }

    /**
     * Replays every record with LSN above {@code afterLsn} (the LSN the loaded snapshot covers, 0 without one).
     *
     * @throws CorruptWalException if the log is not a readable prefix of what was written
     */
    public static Result replay(Path walDir, long afterLsn, WalRecordSink sink, ReplayProgress progress)
            throws IOException {
        if (afterLsn < 0) {
            throw new IllegalArgumentException("afterLsn must be >= 0: " + afterLsn);
        }
        List<Path> segments = listSegments(walDir);
        if (segments.isEmpty()) {
            return new Result(afterLsn, 0, 0, null, -1);
        }
        long need = afterLsn + 1;
        if (firstLsn(segments.get(0)) > need) {
            throw new CorruptWalException(segments.get(0), 0, "LSN " + need + " is missing: the oldest segment starts at "
                    + firstLsn(segments.get(0)));
        }
        int start = 0;
        while (start + 1 < segments.size() && firstLsn(segments.get(start + 1)) <= need) {
            start++;
        }
        Batcher batcher = new Batcher(sink, progress);
        long last = 0;
        SegmentReader.Outcome tail = null;
        for (int i = start; i < segments.size(); i++) {
            Path file = segments.get(i);
            long first = firstLsn(file);
            if (i > start && first != Math.max(last, afterLsn) + 1) {
                throw new CorruptWalException(file, 0, "segment starts at LSN " + first + " but LSN "
                        + (Math.max(last, afterLsn) + 1) + " is next: a segment is missing");
            }
            boolean newest = i == segments.size() - 1;
            SegmentReader.Outcome outcome = SegmentReader.open(file, newest).read(first, afterLsn, batcher);
            last = outcome.lastLsn();
            progress.addSegment(outcome.validBytes());
            if (outcome.torn()) {
                tail = outcome;
            }
        }
        batcher.flush();
        sink.drain();
        Path newestFile = segments.get(segments.size() - 1);
        if (tail != null) {
            cutTornTail(newestFile, tail);
        }
        makeDurable(walDir, newestFile, tail);
        return new Result(Math.max(last, afterLsn), batcher.handed, tail == null ? 0 : tail.size() - tail.validBytes(),
                tail == null ? null : newestFile, tail == null ? -1 : tail.validBytes());
    }

    private static void cutTornTail(Path file, SegmentReader.Outcome tail) throws IOException {
        LOG.log(Level.WARNING, "WAL segment {0}: torn tail at byte offset {1} ({2}); dropping {3} bytes after LSN {4}",
                file, tail.validBytes(), tail.tornReason(), tail.size() - tail.validBytes(), tail.lastLsn());
        if (tail.validBytes() == 0) {
            // The header itself is torn: no record was ever complete in this file.
            Files.delete(file);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(tail.validBytes());
            channel.force(true);
        }
    }

    /**
     * After a process crash the bytes just read may exist only in the page cache; the writer will report
     * them durable, so force them now. Older segments were forced when their successor was created.
     */
    private static void makeDurable(Path walDir, Path newestFile, SegmentReader.Outcome tail) throws IOException {
        if (tail == null || tail.validBytes() > 0) {
            try (FileChannel channel = FileChannel.open(newestFile, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        WalFiles.system().syncDirectory(walDir);
    }

    private static List<Path> listSegments(Path walDir) throws IOException {
        List<Path> segments = new ArrayList<>();
        for (Path file : WalFiles.system().list(walDir)) {
            if (WalFormat.parseSegmentFileName(file.getFileName().toString()) > 0) {
                segments.add(file);
            }
        }
        segments.sort(Comparator.comparingLong(WalReplay::firstLsn));
        return segments;
    }

    private static long firstLsn(Path segment) {
        return WalFormat.parseSegmentFileName(segment.getFileName().toString());
    }

    /** Collects records into batches for the sink; one list allocation per batch. */
    private static final class Batcher implements java.util.function.Consumer<WalRecord> {
        private final WalRecordSink sink;
        private final ReplayProgress progress;
        private List<WalRecord> batch = new ArrayList<>(BATCH_RECORDS);
        private long bytes;
        private long handed;

        Batcher(WalRecordSink sink, ReplayProgress progress) {
            this.sink = sink;
            this.progress = progress;
        }

        @Override
        public void accept(WalRecord record) {
            batch.add(record);
            bytes += record.payload().length;
            if (batch.size() == BATCH_RECORDS || bytes >= BATCH_BYTES) {
                flush();
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<WalRecord> full = batch;
            batch = new ArrayList<>(BATCH_RECORDS);
            bytes = 0;
            sink.accept(full);
            handed += full.size();
            progress.addRecords(full.size());
        }
    }
}
