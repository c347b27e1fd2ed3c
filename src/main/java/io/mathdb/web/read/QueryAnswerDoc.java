package io.mathdb.web.read;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The JSON answer of {@code POST /query}, for the API description only: the answer itself is streamed by
 * {@link ResponseSinks} and never built as an object.
 */
@Schema(name = "QueryAnswer", requiredProperties = {"columns", "rows", "truncated"})
record QueryAnswerDoc(List<ColumnDoc> columns,
                      @Schema(description = "one array of values per row") List<List<Object>> rows,
                      @Schema(description = "whether rows were left out at the JSON row cap") boolean truncated) {

    record ColumnDoc(String name, @Schema(example = "Utf8") String type) {
    }
}
