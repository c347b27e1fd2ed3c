package io.mathdb.engine.schema;

import java.util.Map;
import java.util.TreeMap;

/**
 * The column types of MathDB, under the Polars names of the original library, with the DuckDB type each is stored as.
 * The Java value each holds in memory is given by {@link ColumnType#coerce}.
 */
public enum TypeKind {
    INT8("Int8", "TINYINT"),
    INT16("Int16", "SMALLINT"),
    INT32("Int32", "INTEGER"),
    INT64("Int64", "BIGINT"),
    UINT8("UInt8", "UTINYINT"),
    UINT16("UInt16", "USMALLINT"),
    UINT32("UInt32", "UINTEGER"),
    UINT64("UInt64", "UBIGINT"),
    FLOAT32("Float32", "FLOAT"),
    FLOAT64("Float64", "DOUBLE"),
    BOOLEAN("Boolean", "BOOLEAN"),
    UTF8("Utf8", "VARCHAR"),
    DATE("Date", "DATE"),
    DATETIME("Datetime", "TIMESTAMP"),
    DECIMAL("Decimal", "DECIMAL"),
    BINARY("Binary", "BLOB");

    private static final Map<String, TypeKind> BY_NAME = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        for (TypeKind kind : values()) {
            BY_NAME.put(kind.polarsName, kind);
        }
        BY_NAME.put("String", UTF8);
    }

    private final String polarsName;
    private final String duckName;

    TypeKind(String polarsName, String duckName) {
        this.polarsName = polarsName;
        this.duckName = duckName;
    }

    public String polarsName() {
        return polarsName;
    }

    public String duckName() {
        return duckName;
    }

    /** Looks a kind up by its Polars name (any case, {@code String} being an alias of {@code Utf8}); null if unknown. */
    static TypeKind byName(String name) {
        return BY_NAME.get(name);
    }

    boolean isInteger() {
        return ordinal() <= UINT64.ordinal();
    }
}
