package io.mathdb.engine.wal;

import java.util.List;

/**
 * Receives replayed records in LSN order, in batches of up to {@link WalReplay#BATCH_RECORDS} records and about
 * {@link WalReplay#BATCH_BYTES} of payload, so the engine
 * can apply a batch as one group. The list belongs to the sink once handed over. An exception thrown here
 * stops the replay and reaches the caller of {@link WalReplay#replay} unchanged.
 */
@FunctionalInterface
public interface WalRecordSink {

    void accept(List<WalRecord> batch);

    /**
     * Returns once every batch handed over is applied, throwing the failure of one that was not. Called after the
     * last batch and before the replay changes any file (a torn tail is cut only after the records before it are
     * known to apply). A sink that applies each batch within {@link #accept} has nothing to wait for.
     */
    default void drain() {
    }
}
