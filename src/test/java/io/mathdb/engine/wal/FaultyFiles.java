package io.mathdb.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** The real file system with switchable failures and a gate that holds fsyncs, for tests. */
class FaultyFiles extends SystemWalFiles {

    volatile boolean failWrites;
    volatile boolean failForces;
    /** When set, every force waits until it is counted down. */
    volatile CountDownLatch forceGate;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
        writes.incrementAndGet();
        if (failWrites) {
            throw new IOException("injected: no space left on device");
        }
        return super.write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        forces.incrementAndGet();
        CountDownLatch gate = forceGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
        if (failForces) {
            throw new IOException("injected: EIO on fsync");
        }
        super.force(channel);
    }
}
