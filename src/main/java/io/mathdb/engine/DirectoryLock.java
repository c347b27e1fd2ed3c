package io.mathdb.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data directory. The lock is an OS file lock on {@code <dir>/LOCK}: the kernel drops it when the
 * holder dies, so a {@code kill -9} leaves no stale lock behind, and a second process fails at once.
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MathDbException(ErrorCode.INTERNAL, "cannot use data directory " + dir + ": " + e, e);
        }
        Path file = dir.resolve("LOCK");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw held(dir, null);
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw held(dir, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new MathDbException(ErrorCode.INTERNAL, "cannot lock data directory " + dir + ": " + e, e);
        } catch (MathDbException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static MathDbException held(Path dir, Throwable cause) {
        return new MathDbException(ErrorCode.DIRECTORY_LOCKED, "data directory " + dir.toAbsolutePath()
                + " is in use by another MathDB process (lock held on " + dir.resolve("LOCK") + ")", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing; the original error is the one to report
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
