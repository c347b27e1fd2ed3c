package io.mathdb.web;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.TableSchema;
import java.math.BigInteger;

/**
 * A key from a URL path, typed for the key column. Path segments are always text; the engine takes text for Utf8,
 * Date, Datetime and Decimal keys but wants a number for integer keys, so only those are parsed here (as a
 * BigInteger: the engine range-checks it, UInt64 included).
 */
final class Keys {
    private Keys() {
    }

    static Object fromPath(TableSchema schema, String text) {
        Column key = schema.key();
        return switch (key.type().kind()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> {
                try {
                    yield new BigInteger(text);
                } catch (NumberFormatException e) {
                    throw new MathDbException(ErrorCode.TYPE_MISMATCH, "table '" + schema.name() + "': key '"
                            + key.name() + "' (" + key.type().name() + ") expects an integer, got \"" + text + "\"");
                }
            }
            default -> text;
        };
    }
}
