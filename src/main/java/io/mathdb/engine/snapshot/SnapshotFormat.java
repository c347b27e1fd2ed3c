package io.mathdb.engine.snapshot;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names and constants of the snapshot format; the format itself is specified in {@code STORAGE.md}, "Snapshots". */
final class SnapshotFormat {
    /** Written: 2, which added the files of rows appended after a table's first file. Read: 1 and 2. */
    static final int VERSION = 2;
    static final String MANIFEST = "manifest.json";
    static final String SNAPSHOT_PREFIX = "snap-";
    static final String TEMP_PREFIX = "tmp-";

    private static final Pattern SNAPSHOT_DIR = Pattern.compile("snap-([0-9a-f]{16})");
    private static final Pattern TABLE_FILE = Pattern.compile("t([0-9]{3,9})\\.parquet");
    private static final Pattern APPENDED_FILE = Pattern.compile("t([0-9]{3,9})-[0-9a-f]{16}\\.parquet");

    private SnapshotFormat() {
    }

    static void checkLsn(long lsn) {
        if (lsn < 0) {
            throw new IllegalArgumentException("an LSN is never negative: " + lsn);
        }
    }

    static String snapshotDirName(long lsn) {
        return SNAPSHOT_PREFIX + hex16(lsn);
    }

    static String tempDirName(long lsn, int nonce) {
        return TEMP_PREFIX + hex16(lsn) + "-" + String.format(Locale.ROOT, "%08x", nonce);
    }

    /** The LSN a published snapshot directory is named after, or empty if the name is not exactly ours. */
    static OptionalLong lsnOf(String dirName) {
        Matcher m = SNAPSHOT_DIR.matcher(dirName);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long lsn = Long.parseUnsignedLong(m.group(1), 16);
        // 16 hex digits can spell a "negative" long; we never write one, so such a name is not ours.
        return lsn < 0 ? OptionalLong.empty() : OptionalLong.of(lsn);
    }

    /** Table files are named by position so that no user text ever becomes part of a path. */
    static String tableFileName(int position) {
        return String.format(Locale.ROOT, "t%03d.parquet", position);
    }

    static boolean isTableFileName(String name, int position) {
        Matcher m = TABLE_FILE.matcher(name);
        return m.matches() && Integer.parseInt(m.group(1)) == position && name.equals(tableFileName(position));
    }

    /**
     * Rows appended to a table after its first file are in files named by the table's position and the LSN of the
     * snapshot that wrote them; a later snapshot links the same file under its own position for the table.
     */
    static String appendedFileName(int position, long writtenAtLsn) {
        return String.format(Locale.ROOT, "t%03d-%016x.parquet", position, writtenAtLsn);
    }

    static boolean isAppendedFileName(String name, int position) {
        Matcher m = APPENDED_FILE.matcher(name);
        return m.matches() && Integer.parseInt(m.group(1)) == position
                && name.startsWith(tableFileName(position).replace(".parquet", "-"));
    }

    static String hex8(long crc32c) {
        return String.format(Locale.ROOT, "%08x", crc32c);
    }

    private static String hex16(long lsn) {
        return String.format(Locale.ROOT, "%016x", lsn);
    }
}
