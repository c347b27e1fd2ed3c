package io.mathdb.engine.query;

import java.util.ArrayList;
import java.util.List;

/** Collects an answer in memory, for tests. */
final class ListSink implements RowSink {
    Header header;
    final List<Object[]> rows = new ArrayList<>();
    Boolean truncated;

    @Override
    public void start(Header h) {
        header = h;
    }

    @Override
    public void row(Object[] values) {
        rows.add(values);
    }

    @Override
    public void end(boolean t) {
        truncated = t;
    }

    /** Column {@code i} of every row. */
    List<Object> column(int i) {
        List<Object> values = new ArrayList<>();
        for (Object[] r : rows) {
            values.add(r[i]);
        }
        return values;
    }

    List<String> types() {
        return header.columns().stream().map(ResultColumn::type).toList();
    }

    List<String> names() {
        return header.columns().stream().map(ResultColumn::name).toList();
    }
}
