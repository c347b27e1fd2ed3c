package io.mathdb.engine;

import java.util.Locale;

/** The file formats a bulk import reads. */
public enum ImportFormat {
    /** Comma-separated, a header line naming the columns, {@code "} quoting, empty fields null, Binary as base64. */
    CSV,
    /** One JSON object per line, values as in the JSON API. */
    NDJSON,
    /** Apache Parquet, columns matched by name. */
    PARQUET;

    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }
}
