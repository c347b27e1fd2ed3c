package io.mathdb.engine.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/** The few file-system operations snapshots need, each with the durability step the plain JDK call leaves out. */
final class DiskFiles {
    private static final int BUFFER = 1 << 20;

    private DiskFiles() {
    }

    /** Length and CRC32C of a whole file. */
    record Sum(long bytes, long crc32c) {
    }

    /**
     * fsyncs a file someone else wrote (DuckDB's COPY closes its output without fsync) and returns its length and
     * CRC32C, read back through the same channel.
     */
    static Sum syncAndSum(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
            return sum(ch);
        }
    }

    static Sum sum(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return sum(ch);
        }
    }

    private static Sum sum(FileChannel ch) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long total = 0;
        ch.position(0);
        for (int n; (n = ch.read(buf)) >= 0; ) {
            buf.flip();
            crc.update(buf);
            buf.clear();
            total += n;
        }
        return new Sum(total, crc.getValue());
    }

    /** Creates {@code file} (it must not exist), writes {@code bytes} and fsyncs it. */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** fsyncs a directory, so that names created, renamed or deleted in it survive a power loss. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes a directory tree; a tree that is already gone is not an error. Does not follow symbolic links. */
    static void deleteTree(Path root) throws IOException {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // Nothing to delete.
        }
    }
}
