package io.mathdb.web;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import io.mathdb.engine.query.WireText;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import tools.jackson.databind.JsonNode;

/**
 * Rows between JSON and the engine. Incoming values are handed over as loosely typed Java values (the engine's
 * {@code ColumnType.coerce} decides what fits a column); outgoing values get their one wire form: Date as
 * {@code 2024-01-31}, Datetime always with six fraction digits, Binary as base64, Decimal as an exact number.
 */
final class RowJson {
    private RowJson() {
    }

    /** A JSON object as column name to value; {@code what} names it in the error if it is not an object. */
    static Map<String, Object> row(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw notAnObject(what, node);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Entry<String, JsonNode> e : node.properties()) {
            row.put(e.getKey(), value(e.getValue()));
        }
        return row;
    }

    /**
     * A JSON value as the engine takes it: integers as Integer, Long or BigInteger, other numbers as an exact
     * BigDecimal, strings, booleans and null as such. Objects and arrays are passed as they are, so the engine
     * refuses them as a type mismatch naming the column.
     */
    static Object value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isIntegralNumber()) {
            return v.numberValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        return v;
    }

    /** An engine row in its wire form, in column order. */
    static Map<String, Object> toJson(Map<String, Object> row) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Entry<String, Object> e : row.entrySet()) {
            json.put(e.getKey(), toJson(e.getValue()));
        }
        return json;
    }

    /** Values JSON has no type for take the text form the read path writes too; numbers and booleans stay. */
    private static Object toJson(Object value) {
        if (value instanceof LocalDateTime || value instanceof LocalDate || value instanceof byte[]) {
            return WireText.of(value);
        }
        return value;
    }

    /** The refusal of a body, or an element of one, that should have been a row object. */
    static MathDbException notAnObject(String what, JsonNode node) {
        return invalid(what + " must be a JSON object of column values, got " + describe(node));
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    static MathDbException invalid(String message) {
        return new MathDbException(ErrorCode.INVALID_REQUEST, message);
    }
}
