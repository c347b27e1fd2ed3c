package io.mathdb.engine.store;

import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * The keys of a table kept as a copy of keys only ({@link RowMirror#keysOnly}): integer keys in a compressed bitmap
 * (a few bits a key when they are dense), other keys (Utf8, Date, Datetime, Decimal) in a hash set of the same
 * canonical values the writer plans with. Writer thread only, once live.
 */
abstract sealed class KeySet {
    static KeySet of(TableSchema schema) {
        return switch (schema.key().type().kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> new Bitmap();
            default -> new Hashed(schema.key().type());
        };
    }

    abstract boolean contains(Object key);

    abstract void add(Object key);

    abstract void remove(Object key);

    /** Adds the key in the first column of the scan's current row. */
    abstract void addScanned(ResultSet rs) throws SQLException;

    /** Heap the keys take, estimated on the safe side; may walk the set, so asked now and then. */
    abstract long bytes();

    private static final class Bitmap extends KeySet {
        private final Roaring64Bitmap keys = new Roaring64Bitmap();

        @Override
        boolean contains(Object key) {
            return keys.contains((Long) key);
        }

        @Override
        void add(Object key) {
            keys.addLong((Long) key);
        }

        @Override
        void remove(Object key) {
            keys.removeLong((Long) key);
        }

        @Override
        void addScanned(ResultSet rs) throws SQLException {
            keys.addLong(rs.getLong(1));
        }

        /**
         * The serialized size underestimates the heap (objects, and for scattered keys a container each), by about
         * four times for keys far apart. Walks every container.
         */
        @Override
        long bytes() {
            return 4 * keys.getLongSizeInBytes();
        }
    }

    private static final class Hashed extends KeySet {
        /** A hash set's entry and its share of the table, per key, besides the key itself. */
        private static final long ENTRY_BYTES = 48;

        private final Set<Object> keys = new HashSet<>();
        private final ColumnType type;
        private long bytes;

        Hashed(ColumnType type) {
            this.type = type;
        }

        @Override
        boolean contains(Object key) {
            return keys.contains(key);
        }

        @Override
        void add(Object key) {
            if (keys.add(key)) {
                bytes += ENTRY_BYTES + RowMirror.estimateBytes(key);
            }
        }

        @Override
        void remove(Object key) {
            if (keys.remove(key)) {
                bytes -= ENTRY_BYTES + RowMirror.estimateBytes(key);
            }
        }

        @Override
        void addScanned(ResultSet rs) throws SQLException {
            add(Values.read(rs, 1, type));
        }

        @Override
        long bytes() {
            return bytes;
        }
    }
}
