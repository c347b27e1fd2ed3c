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
}
