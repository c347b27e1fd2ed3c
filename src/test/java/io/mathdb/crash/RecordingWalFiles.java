package io.mathdb.crash;

import io.mathdb.engine.wal.WalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real file system under the log, with a journal of what reached the disk: a line {@code create <file>} before
 * a segment is created, {@code force <file> <length>} after an fsync of it returned (the length when it began: every
 * byte below it is on the disk), and {@code dirsync} after the directory was fsynced (the names created before it are
 * on the disk). After a {@code kill -9} the parent reads the journal and drops what a power cut would have dropped:
 * see {@link PowerLoss}. Each line is one {@code write} to a file the dead child leaves in the page cache.
 */
final class RecordingWalFiles implements WalFiles {
    private final WalFiles real = WalFiles.system();
    private final FileChannel journal;
    private final Map<FileChannel, Path> names = new ConcurrentHashMap<>();

    RecordingWalFiles(Path journalFile) {
        try {
            journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public FileChannel create(Path file) throws IOException {
        record("create " + file.getFileName());
        FileChannel channel = real.create(file);
        names.put(channel, file.getFileName());
        return channel;
    }

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
        return real.write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        long length = channel.size();
        real.force(channel);
        record("force " + names.get(channel) + " " + length);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        real.delete(file);
        record("delete " + file.getFileName());
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        real.syncDirectory(dir);
        record("dirsync " + dir.getFileName());
    }

    private synchronized void record(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            journal.write(bytes);
        }
    }
}
