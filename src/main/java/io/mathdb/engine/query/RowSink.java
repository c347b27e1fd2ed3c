package io.mathdb.engine.query;

import java.io.IOException;
import java.util.List;

/**
 * Where an answer goes, row by row, so no answer is ever held whole in memory. {@link #start} is called once the
 * query has run in DuckDB (so errors up to then, a bad query or a time-out, reach the caller before anything is
 * written), then {@link #row} per row, then {@link #end}.
 */
public interface RowSink {

    /**
     * @param columns the answer's columns with MathDB type names
     * @param total   every matching row without paging, if a count was asked for; else null
     * @param lsn     the LSN the answer is consistent at, for exports; else null
     */
    record Header(List<ResultColumn> columns, Long total, Long lsn) {
    }

    void start(Header header) throws IOException;

    /** One row; values are canonical (see {@link ResultColumn}), indexed like the header's columns. */
    void row(Object[] values) throws IOException;

    /** @param truncated whether rows were left out because the answer hit its row cap */
    void end(boolean truncated) throws IOException;
}
