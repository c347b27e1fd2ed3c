package io.mathdb.web.read;

import io.mathdb.engine.query.WireText;
import java.math.BigDecimal;
import java.math.BigInteger;
import tools.jackson.core.JsonGenerator;

/**
 * Canonical engine values in their one wire form, the same as the row endpoints use: integers and UInt64 exact,
 * Decimal as an exact plain number (never {@code 1E+3}), Date {@code 2024-01-31}, Datetime always with six fraction
 * digits, Binary as base64. A non-finite float (only SQL can make one) is written as the string {@code "NaN"} or
 * {@code "Infinity"}, which JSON has no number for.
 */
final class WireValues {
    private WireValues() {
    }

    static void write(JsonGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(d.toString());
            }
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f);
            } else {
                g.writeString(f.toString());
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(WireText.of(v));
        }
    }
}
