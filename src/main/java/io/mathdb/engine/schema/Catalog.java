package io.mathdb.engine.schema;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas of the tables that exist, keyed case-insensitively. Only the writer changes it, after the change is
 * committed; readers see an immutable map through a volatile field and never lock.
 */
public final class Catalog {
    private volatile Map<String, TableSchema> tables = Map.of();
    /** Changes with every creation and drop: a value read before coercing a request tells whether it still holds. */
    private volatile long version;
    /** By table key, the version the catalog stood at just before the table was created. */
    private volatile Map<String, Long> createdAt = Map.of();

    public long version() {
        return version;
    }

    public TableSchema find(String name) {
        return name == null ? null : tables.get(Names.key(name));
    }

    public TableSchema require(String name) {
        TableSchema schema = find(name);
        if (schema == null) {
            throw new MathDbException(ErrorCode.NO_SUCH_TABLE, "no table named '" + name + "'");
        }
        return schema;
    }

    public List<TableSchema> all() {
        List<TableSchema> list = new ArrayList<>(tables.values());
        list.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return list;
    }

    /**
     * Whether the table named was created after the catalog stood at {@code version}: changes coerced against the
     * catalog then were coerced for an earlier table of that name, since dropped, and perhaps for other columns. A
     * request that read {@code version} while the table was being created, and found it, is not taken for one.
     */
    public boolean createdAfter(String name, long version) {
        Long before = name == null ? null : createdAt.get(Names.key(name));
        return before != null && before > version;
    }

    public synchronized void put(TableSchema schema) {
        Map<String, TableSchema> copy = new HashMap<>(tables);
        copy.put(Names.key(schema.name()), schema);
        Map<String, Long> created = new HashMap<>(createdAt);
        created.put(Names.key(schema.name()), version);
        createdAt = Map.copyOf(created);
        tables = Map.copyOf(copy);
        version++;
    }

    public synchronized void remove(String name) {
        Map<String, TableSchema> copy = new HashMap<>(tables);
        copy.remove(Names.key(name));
        tables = Map.copyOf(copy);
        version++;
        Map<String, Long> created = new HashMap<>(createdAt);
        created.remove(Names.key(name));
        createdAt = Map.copyOf(created);
    }
}
