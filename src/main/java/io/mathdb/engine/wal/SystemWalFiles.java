package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link WalFiles} on the real file system. Not final: fault-injecting tests extend it. */
class SystemWalFiles implements WalFiles {

    static final SystemWalFiles INSTANCE = new SystemWalFiles();

    @Override
    public FileChannel create(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
        return channel.write(buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        // Data only: segment sizes are checked by the reader, and fdatasync still flushes a grown size.
        channel.force(false);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Opening a directory read-only and forcing it is how the JDK reaches fsync(2) on a directory (Linux).
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
