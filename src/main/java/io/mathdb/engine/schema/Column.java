package io.mathdb.engine.schema;

/** One column of a table. The primary-key column is never nullable. */
public record Column(String name, ColumnType type, boolean primaryKey, boolean nullable) {
    public Column {
        Names.check("column", name);
        if (type == null) {
            throw new io.mathdb.engine.MathDbException(io.mathdb.engine.ErrorCode.INVALID_TYPE,
                    "column '" + name + "' needs a type");
        }
        nullable = nullable && !primaryKey;
    }

    public static Column key(String name, ColumnType type) {
        return new Column(name, type, true, false);
    }

    public static Column of(String name, ColumnType type) {
        return new Column(name, type, false, true);
    }

    public static Column required(String name, ColumnType type) {
        return new Column(name, type, false, false);
    }
}
