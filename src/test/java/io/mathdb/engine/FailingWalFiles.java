package io.mathdb.engine;

import io.mathdb.engine.wal.WalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The real file system, until a switch makes writes or fsyncs fail as a full or broken disk would. */
public final class FailingWalFiles implements WalFiles {
    public final AtomicBoolean failWrites = new AtomicBoolean();
    public final AtomicBoolean failForce = new AtomicBoolean();

    @Override
    public FileChannel create(Path file) throws IOException {
        return WalFiles.system().create(file);
    }

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
        if (failWrites.get()) {
            throw new IOException("No space left on device");
        }
        return WalFiles.system().write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        if (failForce.get()) {
            throw new IOException("Input/output error");
        }
        WalFiles.system().force(channel);
    }

    @Override
    public List<Path> list(Path d) throws IOException {
        return WalFiles.system().list(d);
    }

    @Override
    public void delete(Path file) throws IOException {
        WalFiles.system().delete(file);
    }

    @Override
    public void syncDirectory(Path d) throws IOException {
        WalFiles.system().syncDirectory(d);
    }
}
