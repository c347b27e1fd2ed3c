package io.mathdb.engine.snapshot;

import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.ColumnType;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manifest of one snapshot and its exact bytes (see {@code STORAGE.md}, "Snapshots"): a JSON body wrapped in an
 * envelope carrying the body's CRC32C. Decoding checks everything a loader relies on and reports the first problem.
 */
record Manifest(long lsn, Instant created, List<Entry> tables) {
    /**
     * One table: schema, positional file name, and the file's length, CRC32C and row count; then the files of rows
     * appended after it, in order (format 2).
     */
    record Entry(TableSchema schema, String file, long bytes, long crc32c, long rows, List<Part> appended) {
        Entry {
            appended = List.copyOf(appended);
        }

        Entry(TableSchema schema, String file, long bytes, long crc32c, long rows) {
            this(schema, file, bytes, crc32c, rows, List.of());
        }

        long totalRows() {
            return rows + appended.stream().mapToLong(Part::rows).sum();
        }

        long totalBytes() {
            return bytes + appended.stream().mapToLong(Part::bytes).sum();
        }
    }

    /** A file of rows appended to a table: its name, length, CRC32C and row count. */
    record Part(String file, long bytes, long crc32c, long rows) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] HEAD = "{\"crc32c\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIDDLE = "\",\"manifest\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "}\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BODY_START = HEAD.length + 8 + MIDDLE.length;
    private static final Pattern HEX8 = Pattern.compile("[0-9a-f]{8}");

    Manifest {
        tables = List.copyOf(tables);
    }

    byte[] encode() {
        ObjectNode body = JSON.createObjectNode();
        body.put("format", SnapshotFormat.VERSION);
        body.put("lsn", lsn);
        body.put("created", created.toString());
        ArrayNode list = body.putArray("tables");
        for (Entry e : tables) {
            ObjectNode t = list.addObject();
            t.put("name", e.schema().name());
            t.put("file", e.file());
            t.put("bytes", e.bytes());
            t.put("crc32c", SnapshotFormat.hex8(e.crc32c()));
            t.put("rows", e.rows());
            ArrayNode appended = t.putArray("appended");
            for (Part p : e.appended()) {
                ObjectNode a = appended.addObject();
                a.put("file", p.file());
                a.put("bytes", p.bytes());
                a.put("crc32c", SnapshotFormat.hex8(p.crc32c()));
                a.put("rows", p.rows());
            }
            ArrayNode columns = t.putArray("columns");
            for (Column c : e.schema().columns()) {
                ObjectNode col = columns.addObject();
                col.put("name", c.name());
                col.put("type", c.type().name());
                col.put("primaryKey", c.primaryKey());
                col.put("nullable", c.nullable());
            }
        }
        byte[] bodyBytes = JSON.writeValueAsBytes(body);
        byte[] crc = SnapshotFormat.hex8(crc32c(bodyBytes, 0, bodyBytes.length)).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[BODY_START + bodyBytes.length + TAIL.length];
        int at = put(out, 0, HEAD);
        at = put(out, at, crc);
        at = put(out, at, MIDDLE);
        at = put(out, at, bodyBytes);
        put(out, at, TAIL);
        return out;
    }

    /** Decodes the manifest read from {@code file} of the snapshot directory named after {@code expectedLsn}. */
    static Manifest decode(Path file, byte[] bytes, long expectedLsn) {
        JsonNode body = parse(file, unwrap(file, bytes));
        long format = integer(file, body, "format", "the manifest");
        if (format < 1 || format > SnapshotFormat.VERSION) {
            throw new CorruptSnapshotException(file, "unknown snapshot format version " + format + "; this MathDB reads "
                    + "1 to " + SnapshotFormat.VERSION);
        }
        long lsn = integer(file, body, "lsn", "the manifest");
        if (lsn != expectedLsn) {
            throw new CorruptSnapshotException(file, "manifest says LSN " + lsn + " but its directory is named for LSN "
                    + expectedLsn);
        }
        Instant created;
        try {
            created = Instant.parse(text(file, body, "created", "the manifest"));
        } catch (DateTimeParseException e) {
            throw new CorruptSnapshotException(file, "'created' is not an ISO-8601 instant");
        }
        JsonNode list = body.get("tables");
        if (list == null || !list.isArray()) {
            throw new CorruptSnapshotException(file, "'tables' is missing or not an array");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Entry e = entry(file, list.get(i), i, format);
            if (!names.add(Names.key(e.schema().name()))) {
                throw new CorruptSnapshotException(file, "table '" + e.schema().name() + "' is listed twice");
            }
            entries.add(e);
        }
        return new Manifest(lsn, created, entries);
    }

    private static byte[] unwrap(Path file, byte[] bytes) {
        boolean framed = bytes.length >= BODY_START + TAIL.length
                && Arrays.equals(bytes, 0, HEAD.length, HEAD, 0, HEAD.length)
                && Arrays.equals(bytes, HEAD.length + 8, BODY_START, MIDDLE, 0, MIDDLE.length)
                && Arrays.equals(bytes, bytes.length - TAIL.length, bytes.length, TAIL, 0, TAIL.length);
        if (!framed) {
            throw new CorruptSnapshotException(file, "not a MathDB snapshot manifest (" + bytes.length
                    + " bytes without the {\"crc32c\":..,\"manifest\":..} envelope)");
        }
        String stored = new String(bytes, HEAD.length, 8, StandardCharsets.US_ASCII);
        int bodyEnd = bytes.length - TAIL.length;
        String actual = SnapshotFormat.hex8(crc32c(bytes, BODY_START, bodyEnd - BODY_START));
        if (!stored.equals(actual)) {
            throw new CorruptSnapshotException(file, "manifest checksum mismatch: stored " + stored + ", computed "
                    + actual);
        }
        return Arrays.copyOfRange(bytes, BODY_START, bodyEnd);
    }

    private static JsonNode parse(Path file, byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new CorruptSnapshotException(file, "manifest body is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new CorruptSnapshotException(file, "manifest body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Entry entry(Path file, JsonNode t, int position, long format) {
        String where = "table #" + position;
        if (t == null || !t.isObject()) {
            throw new CorruptSnapshotException(file, where + " is not a JSON object");
        }
        String name = text(file, t, "name", where);
        where = "table '" + name + "'";
        String fileName = text(file, t, "file", where);
        // The only path a manifest can name is the positional one: a damaged manifest must not point outside its dir.
        if (!SnapshotFormat.isTableFileName(fileName, position)) {
            throw new CorruptSnapshotException(file, where + " names file '" + fileName + "'; expected '"
                    + SnapshotFormat.tableFileName(position) + "'");
        }
        long bytes = count(file, t, "bytes", where);
        long crc = crc(file, t, where);
        long rows = count(file, t, "rows", where);
        List<Part> appended = format < 2 ? List.of() : appended(file, t, position, where);
        JsonNode cols = t.get("columns");
        if (cols == null || !cols.isArray()) {
            throw new CorruptSnapshotException(file, where + ": 'columns' is missing or not an array");
        }
        List<Column> columns = new ArrayList<>();
        try {
            for (JsonNode c : cols) {
                if (!c.isObject()) {
                    throw new CorruptSnapshotException(file, where + ": a column is not a JSON object");
                }
                columns.add(new Column(text(file, c, "name", where), ColumnType.parse(text(file, c, "type", where)),
                        bool(file, c, "primaryKey", where), bool(file, c, "nullable", where)));
            }
            return new Entry(new TableSchema(name, columns), fileName, bytes, crc, rows, appended);
        } catch (MathDbException e) {
            if (e instanceof CorruptSnapshotException c) {
                throw c;
            }
            throw new CorruptSnapshotException(file, where + ": invalid schema: " + e.getMessage());
        }
    }

    private static List<Part> appended(Path file, JsonNode t, int position, String where) {
        JsonNode list = t.get("appended");
        if (list == null || !list.isArray()) {
            throw new CorruptSnapshotException(file, where + ": 'appended' is missing or not an array");
        }
        List<Part> parts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode p : list) {
            if (!p.isObject()) {
                throw new CorruptSnapshotException(file, where + ": an appended file is not a JSON object");
            }
            String name = text(file, p, "file", where);
            if (!SnapshotFormat.isAppendedFileName(name, position) || !names.add(name)) {
                throw new CorruptSnapshotException(file, where + " names appended file '" + name + "'; expected "
                        + String.format(Locale.ROOT, "'t%03d-<16 hex digits>.parquet'", position) + ", each once");
            }
            parts.add(new Part(name, count(file, p, "bytes", where), crc(file, p, where), count(file, p, "rows", where)));
        }
        return parts;
    }

    private static long crc(Path file, JsonNode node, String where) {
        String crc = text(file, node, "crc32c", where);
        if (!HEX8.matcher(crc).matches()) {
            throw new CorruptSnapshotException(file, where + ": crc32c '" + crc + "' is not 8 lowercase hex digits");
        }
        return Long.parseLong(crc, 16);
    }

    private static String text(Path file, JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new CorruptSnapshotException(file, where + ": '" + field + "' is missing or not a string");
        }
        return v.stringValue();
    }

    private static long integer(Path file, JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new CorruptSnapshotException(file, where + ": '" + field + "' is missing or not an integer");
        }
        return v.longValue();
    }

    private static long count(Path file, JsonNode node, String field, String where) {
        long n = integer(file, node, field, where);
        if (n < 0) {
            throw new CorruptSnapshotException(file, where + ": '" + field + "' is negative");
        }
        return n;
    }

    private static boolean bool(Path file, JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new CorruptSnapshotException(file, where + ": '" + field + "' is missing or not true/false");
        }
        return v.booleanValue();
    }

    private static long crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }
}
