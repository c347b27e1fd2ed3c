package io.mathdb.web.read;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/** The answer formats of the read path and their media types. */
enum ResultFormat {
    JSON(MediaType.APPLICATION_JSON, "json"),
    CSV(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8), "csv"),
    NDJSON(MediaType.APPLICATION_NDJSON, "ndjson"),
    PARQUET(new MediaType("application", "vnd.apache.parquet"), "parquet");

    private final MediaType mediaType;
    private final String extension;

    ResultFormat(MediaType mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    MediaType mediaType() {
        return mediaType;
    }

    String extension() {
        return extension;
    }

    /**
     * The best of {@code offered} for an {@code Accept} header, by quality then order; no header or a wildcard gets
     * the first offered. Nothing acceptable is a 406.
     */
    static ResultFormat negotiate(String accept, List<ResultFormat> offered) throws HttpMediaTypeNotAcceptableException {
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        List<MediaType> wanted;
        try {
            wanted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotAcceptableException("the Accept header does not parse: " + e.getMessage());
        }
        wanted = new java.util.ArrayList<>(wanted);
        wanted.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType w : wanted) {
            if (w.getQualityValue() == 0) {
                continue;
            }
            for (ResultFormat f : offered) {
                if (w.includes(f.mediaType) || (w.getType().equals("application") && w.getSubtype().equals("jsonl")
                        && f == NDJSON)) {
                    return f;
                }
            }
        }
        throw new HttpMediaTypeNotAcceptableException(offered.stream().map(f -> f.mediaType.removeQualityValue())
                .map(m -> new MediaType(m.getType(), m.getSubtype())).toList());
    }

    /** An export's {@code format} parameter. */
    static ResultFormat byName(String name, Set<ResultFormat> allowed) {
        for (ResultFormat f : allowed) {
            if (f.extension.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }
}
