package io.mathdb.engine.wal;

import java.util.Arrays;

/**
 * One logged mutation. The WAL treats {@code type} and {@code payload} as opaque; the engine's mutation
 * codec chooses the type (for example 1 create table, 2 drop table, 3 row writes). Type 0 is refused
 * so that a zeroed region of a file can never read back as a record.
 */
public record WalRecord(long lsn, byte type, byte[] payload) {

    public WalRecord {
        if (lsn < 1) {
            throw new IllegalArgumentException("LSN must be >= 1: " + lsn);
        }
        if (type == 0) {
            throw new IllegalArgumentException("record type 0 is reserved");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
    }

    // A record holding an array compares arrays by identity by default; records are values here.
    @Override
    public boolean equals(Object o) {
        return o instanceof WalRecord r && r.lsn == lsn && r.type == type && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lsn) * 31 + Arrays.hashCode(payload) + type;
    }

    @Override
    public String toString() {
        return "WalRecord[lsn=" + lsn + ", type=" + type + ", " + payload.length + " bytes]";
    }
}
