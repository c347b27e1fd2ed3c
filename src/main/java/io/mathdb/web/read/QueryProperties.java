package io.mathdb.web.read;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the read path, bound from {@code mathdb.query.*}.
 *
 * @param timeout     how long one read (a {@code GET .../rows} or a {@code POST /query}) may run inside DuckDB before
 *                    it is stopped with {@code query_timeout}; exports are not limited
 * @param maxJsonRows a JSON answer of {@code POST /query} holds at most this many rows and then says
 *                    {@code "truncated": true}; CSV, NDJSON and Parquet answers are not capped
 * @param maxPageSize rows a {@code GET .../rows} returns when it gives no {@code limit}
 */
@ConfigurationProperties("mathdb.query")
public record QueryProperties(
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("100000") long maxJsonRows,
        @DefaultValue("1000") long maxPageSize) {

    public QueryProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("mathdb.query.timeout must be positive");
        }
        if (maxJsonRows < 1 || maxPageSize < 1) {
            throw new IllegalArgumentException("mathdb.query.max-json-rows and max-page-size must be at least 1");
        }
    }
}
