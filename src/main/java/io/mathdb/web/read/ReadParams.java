package io.mathdb.web.read;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/** Query parameters as the engine's parser takes them, and the {@code Prefer} header. */
final class ReadParams {
    private ReadParams() {
    }

    static Map<String, List<String>> of(MultiValueMap<String, String> params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        params.forEach((k, v) -> map.put(k, List.copyOf(v)));
        return map;
    }

    /** Whether {@code Prefer} asks for {@code count=exact} (PostgREST's spelling; planned/estimated count too). */
    static boolean wantsCount(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String part : prefer.toLowerCase(Locale.ROOT).split("[,;]")) {
            String p = part.strip();
            if (p.equals("count=exact") || p.equals("count=planned") || p.equals("count=estimated")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code Content-Range} of a page, as PostgREST gives it: {@code 0-49/1234}, or {@code * /1234} (without the
     * space) for an empty page.
     */
    static String contentRange(long offset, Long limit, long total) {
        long n = Math.max(0, Math.min(limit == null ? Long.MAX_VALUE : limit, total - offset));
        return n == 0 ? "*/" + total : offset + "-" + (offset + n - 1) + "/" + total;
    }
}
