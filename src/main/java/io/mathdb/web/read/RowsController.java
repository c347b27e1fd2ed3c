package io.mathdb.web.read;

import io.mathdb.config.MathDbProperties;
import io.mathdb.engine.Database;
import io.mathdb.engine.query.RowQuery;
import io.mathdb.engine.query.RowQueryParser;
import io.mathdb.engine.schema.TableSchema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /tables/{table}/rows}: PostgREST-style filtered, ordered, paged and aggregated reads. */
@RestController
class RowsController {
    private static final List<ResultFormat> FORMATS = List.of(ResultFormat.JSON, ResultFormat.CSV, ResultFormat.NDJSON);

    private final Database db;
    private final MathDbProperties.Query properties;

    RowsController(Database db, MathDbProperties properties) {
        this.db = db;
        this.properties = properties.query();
    }

    @GetMapping("/tables/{table}/rows")
    @Operation(summary = "Read rows with filters, ordering, paging and aggregates",
            description = "Filters are query parameters named after columns, in PostgREST's grammar: "
                    + "`age=gt.20`, `name=like.A*`, `id=in.(1,2,3)`, `note=is.null`, `active=is.true`, `not.` before "
                    + "any operator (`age=not.gte.65`); operators `eq neq gt gte lt lte like ilike in is`. Several "
                    + "filters are ANDed; `or=(age.lt.18,age.gt.65)` and `and=(...)` combine, nest, and take `not.`. "
                    + "Values are typed by their column. Without `order`, rows come in primary-key order. Without "
                    + "`limit`, at most `mathdb.query.max-page-size` rows come back. Keyset paging is the fast way "
                    + "through a big table: `?id=gt.<last id seen>&order=id&limit=1000`, repeated; each page costs "
                    + "the same however deep it is, unlike `offset`.")
    @Parameter(name = "select", in = ParameterIn.QUERY, description = "Columns and aggregates: `name,age`, "
            + "`name,age.avg(),id.count()` (plain columns are grouped by), `count()`, `alias:column`",
            schema = @Schema(type = "string"))
    @Parameter(name = "order", in = ParameterIn.QUERY, description = "`column[.asc|.desc][.nullsfirst|.nullslast]`, "
            + "comma-separated", schema = @Schema(type = "string"))
    @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", minimum = "0"))
    @Parameter(name = "offset", in = ParameterIn.QUERY, schema = @Schema(type = "integer", minimum = "0"))
    @Parameter(name = "or", in = ParameterIn.QUERY, description = "`(cond,cond,...)`, e.g. `(age.lt.18,age.gt.65)`",
            schema = @Schema(type = "string"))
    @Parameter(name = "and", in = ParameterIn.QUERY, description = "`(cond,cond,...)`", schema = @Schema(type = "string"))
    @Parameter(name = "Prefer", in = ParameterIn.HEADER, description = "`count=exact` adds `Content-Range: 0-49/1234`",
            schema = @Schema(type = "string"))
    @ApiResponse(responseCode = "200", description = "The rows: a JSON array of objects, CSV or NDJSON by Accept",
            headers = @Header(name = "Content-Range", description = "with Prefer: count=exact",
                    schema = @Schema(type = "string")),
            content = {@Content(mediaType = "application/json"), @Content(mediaType = "text/csv"),
                    @Content(mediaType = "application/x-ndjson")})
    @ApiResponse(responseCode = "400", description = "A bad filter, select, order, limit or offset; the message "
            + "names the parameter", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No such table",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "406", description = "No acceptable format",
            content = @Content(mediaType = "application/problem+json"))
    void rows(@PathVariable String table,
              @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params,
              @Parameter(hidden = true) @RequestHeader(value = "Accept", required = false) String accept,
              @Parameter(hidden = true) @RequestHeader(value = "Prefer", required = false) String prefer,
              HttpServletResponse response) throws HttpMediaTypeNotAcceptableException {
        ResultFormat format = ResultFormat.negotiate(accept, FORMATS);
        var engine = db.queries();
        TableSchema schema = db.schema(table);
        RowQuery query = RowQueryParser.parse(schema, ReadParams.of(params), Set.of(), properties.maxPageSize());
        boolean count = ReadParams.wantsCount(prefer);
        engine.rows(query, count, properties.timeout(), ResponseSinks.of(format, ResponseSinks.Shape.OBJECTS,
                response, header -> {
                    if (header.total() != null) {
                        response.setHeader("Content-Range",
                                ReadParams.contentRange(query.offset(), query.limit(), header.total()));
                        response.setHeader("Preference-Applied", "count=exact");
                    }
                }));
    }
}
