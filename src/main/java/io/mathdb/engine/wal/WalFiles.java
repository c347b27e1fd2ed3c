package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file-system call the WAL writer makes, so tests can make one of them fail. Tests run as root,
 * where permissions do not stop a write; an injected {@link IOException} does.
 */
public interface WalFiles {

    /** The real file system. */
    static WalFiles system() {
        return SystemWalFiles.INSTANCE;
    }

    /** Creates {@code file} (replacing any content) and opens it for writing at offset 0. */
    FileChannel create(Path file) throws IOException;

    /** One {@link FileChannel#write(ByteBuffer)}; may write fewer bytes than remain. */
    int write(FileChannel channel, ByteBuffer buffer) throws IOException;

    /** Forces the file's data to the device (fdatasync). */
    void force(FileChannel channel) throws IOException;

    /** Regular files directly in {@code dir}; empty if it does not exist. */
    List<Path> list(Path dir) throws IOException;

    void delete(Path file) throws IOException;

    /** Fsyncs the directory itself, which makes created and deleted names in it durable. */
    void syncDirectory(Path dir) throws IOException;
}
