package io.mathdb.engine.write;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.TableSchema;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary payload of a WAL record: a mutation in a compact, self-describing form (see STORAGE.md, "Payloads").
 * Binary rather than JSON because the log is written on the hot path and replayed at start-up: a tagged value costs
 * one byte plus its data, and decoding needs no schema lookup and no text parsing.
 */
public final class MutationCodec {
    public static final byte TYPE_CREATE_TABLE = 1;
    public static final byte TYPE_DROP_TABLE = 2;
    public static final byte TYPE_ROW_CHANGES = 3;
    public static final byte TYPE_IMPORT_CHUNK = 4;
    public static final byte TYPE_IMPORT_END = 5;
    /** Bumped when the payload layout changes; a payload of an unknown version refuses to replay. */
    public static final byte PAYLOAD_VERSION = 1;

    private static final byte NULL = 0, LONG = 1, BIG_INTEGER = 2, FLOAT = 3, DOUBLE = 4, FALSE = 5, TRUE = 6,
            STRING = 7, DATE = 8, DATETIME = 9, DECIMAL = 10, BYTES = 11;
    private static final RowChange.Kind[] KINDS = RowChange.Kind.values();

    private MutationCodec() {
    }

    public static byte[] encode(Mutation mutation) {
        ByteSink bytes = new ByteSink(sizeHint(mutation));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PAYLOAD_VERSION);
            if (mutation instanceof Mutation.CreateTable c) {
                writeSchema(out, c.schema());
            } else if (mutation instanceof Mutation.DropTable d) {
                out.writeUTF(d.table());
            } else if (mutation instanceof Mutation.ImportChunk chunk) {
                writeBytes(out, chunk.parquet());
            } else if (mutation instanceof Mutation.ImportEnd end) {
                out.writeUTF(end.table());
                out.writeLong(end.rows());
                out.writeBoolean(end.replace());
            } else {
                writeChanges(out, ((Mutation.RowChanges) mutation).changes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Room for a typical encoding, so that a 1000-row insert is not copied a dozen times while it grows (growing
     * was ~14 % of the request threads' samples in 1000-row batches): about 12 bytes a value, a little more a row.
     */
    private static int sizeHint(Mutation mutation) {
        if (mutation instanceof Mutation.RowChanges rows && !rows.changes().isEmpty()) {
            Object[] values = rows.changes().get(0).values();
            long perRow = 16 + 12L * (values == null ? 1 : values.length);
            return (int) Math.min(1 << 24, 16 + perRow * rows.changes().size());
        }
        return 64;
    }

    /** Decodes a payload logged under {@code type}; fails with {@link IllegalArgumentException} saying why. */
    public static Mutation decode(byte type, byte[] payload) {
        PayloadReader in = new PayloadReader(payload);
        byte version = in.readByte();
        if (version != PAYLOAD_VERSION) {
            throw new IllegalArgumentException("unknown payload version " + version);
        }
        return switch (type) {
            case TYPE_CREATE_TABLE -> new Mutation.CreateTable(readSchema(in));
            case TYPE_DROP_TABLE -> new Mutation.DropTable(in.readUTF());
            case TYPE_ROW_CHANGES -> new Mutation.RowChanges(readChanges(in));
            case TYPE_IMPORT_CHUNK -> new Mutation.ImportChunk(in.readBytes());
            case TYPE_IMPORT_END -> new Mutation.ImportEnd(in.readUTF(), in.readLong(), in.readBoolean());
            default -> throw new IllegalArgumentException("unknown record type " + type);
        };
    }

    private static void writeSchema(DataOutputStream out, TableSchema schema) throws IOException {
        out.writeUTF(schema.name());
        out.writeShort(schema.columns().size());
        for (Column c : schema.columns()) {
            out.writeUTF(c.name());
            out.writeUTF(c.type().name());
            out.writeByte((c.primaryKey() ? 1 : 0) | (c.nullable() ? 2 : 0));
        }
    }

    private static TableSchema readSchema(PayloadReader in) {
        String name = in.readUTF();
        int n = in.readUnsignedShort();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String column = in.readUTF();
            ColumnType type = ColumnType.parse(in.readUTF());
            int flags = in.readByte();
            columns.add(new Column(column, type, (flags & 1) != 0, (flags & 2) != 0));
        }
        return new TableSchema(name, columns);
    }

    private static void writeChanges(DataOutputStream out, List<RowChange> changes) throws IOException {
        out.writeInt(changes.size());
        String lastTable = null;
        for (RowChange change : changes) {
            out.writeByte(change.kind().ordinal());
            // Most requests touch one table: its name is written once and "same as before" costs one byte.
            if (change.table().equals(lastTable)) {
                out.writeBoolean(false);
            } else {
                out.writeBoolean(true);
                out.writeUTF(change.table());
                lastTable = change.table();
            }
            writeValue(out, change.key());
            Object[] values = change.values();
            out.writeShort(values == null ? 0 : values.length);
            if (values != null) {
                boolean[] mask = change.mask();
                for (int i = 0; i < values.length; i++) {
                    if (mask != null) {
                        out.writeBoolean(mask[i]);
                    }
                    writeValue(out, values[i]);
                }
            }
        }
    }

    private static List<RowChange> readChanges(PayloadReader in) {
        int n = in.readInt();
        List<RowChange> changes = new ArrayList<>(n);
        String table = null;
        for (int c = 0; c < n; c++) {
            int k = in.readByte();
            if (k < 0 || k >= KINDS.length) {
                throw new IllegalArgumentException("unknown change kind " + k);
            }
            RowChange.Kind kind = KINDS[k];
            if (in.readBoolean()) {
                table = in.readUTF();
            }
            Object key = readValue(in);
            int width = in.readUnsignedShort();
            Object[] values = kind == RowChange.Kind.DELETE ? null : new Object[width];
            boolean[] mask = kind == RowChange.Kind.PATCH ? new boolean[width] : null;
            for (int i = 0; i < width; i++) {
                if (mask != null) {
                    mask[i] = in.readBoolean();
                }
                values[i] = readValue(in);
            }
            changes.add(new RowChange(kind, table, key, values, mask));
        }
        return changes;
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof BigInteger b) {
            out.writeByte(BIG_INTEGER);
            writeBytes(out, b.toByteArray());
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeLong(d.toEpochDay());
        } else if (v instanceof LocalDateTime t) {
            out.writeByte(DATETIME);
            out.writeLong(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000);
        } else if (v instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            out.writeByte(d.scale());
            writeBytes(out, d.unscaledValue().toByteArray());
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            writeBytes(out, b);
        } else {
            throw new IllegalArgumentException("cannot log a value of " + v.getClass());
        }
    }

    private static Object readValue(PayloadReader in) {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case LONG -> in.readLong();
            case BIG_INTEGER -> new BigInteger(in.readBytes());
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case STRING -> in.readUtf8();
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case DATETIME -> {
                long micros = in.readLong();
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            case DECIMAL -> {
                int scale = in.readByte();
                yield new BigDecimal(new BigInteger(in.readBytes()), scale);
            }
            case BYTES -> in.readBytes();
            default -> throw new IllegalArgumentException("unknown value tag " + tag);
        };
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
