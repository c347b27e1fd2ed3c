package io.mathdb.engine.wal;

import java.util.Objects;

/**
 * How a {@link WalWriter} lays out segments and touches the file system.
 *
 * @param segmentBytes size at which the writer starts a new segment (default 64 MiB); a group of records
 *                     never spans two segments, so a segment may end up larger by one group
 * @param files        the file-system seam; {@link WalFiles#system()} outside tests
 */
public record WalOptions(long segmentBytes, WalFiles files) {

    public WalOptions {
        if (segmentBytes <= WalFormat.SEGMENT_HEADER_BYTES) {
            throw new IllegalArgumentException("segmentBytes must exceed the segment header: " + segmentBytes);
        }
        if (segmentBytes > Integer.MAX_VALUE) {
            // The reader maps a whole segment into one buffer.
            throw new IllegalArgumentException("segmentBytes must be below 2 GiB: " + segmentBytes);
        }
        Objects.requireNonNull(files, "files");
    }

    public static WalOptions defaults() {
        return new WalOptions(WalFormat.DEFAULT_SEGMENT_BYTES, WalFiles.system());
    }

    public WalOptions withSegmentBytes(long bytes) {
        return new WalOptions(bytes, files);
    }

    public WalOptions withFiles(WalFiles seam) {
        return new WalOptions(segmentBytes, seam);
    }
}
