package io.mathdb.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The generated spec at {@code /v3/api-docs}: the controllers' annotations give paths, parameters and statuses;
 * this adds what holds for every endpoint, so no controller repeats it: every 4xx/5xx answer is an
 * {@code application/problem+json} Problem with a {@code code}, any endpoint may answer 503 (recovering, recovery
 * failed, closing, or writes stopped), and every successful write carries {@code MathDB-LSN}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    private static final String PROBLEM = "Problem";
    /** Any endpoint may answer this: data needs recovery done, and writes need a working log. */
    private static final String UNAVAILABLE = "the database is recovering (recovering), could not recover "
            + "(recovery_failed), is shutting down (closed), or its log failed and writes are stopped "
            + "(writes_stopped); reads go on";

    @Bean
    OpenAPI mathDbApi() {
        return new OpenAPI().info(new Info().title("MathDB").version("0.1")
                .description("A persistent in-memory table database over HTTP. The published contract is "
                        + "openapi.yaml in the repository."));
    }

    @Bean
    OpenApiCustomizer problemsAndLsnHeaders() {
        return api -> {
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().values().forEach(item -> item.readOperationsMap().forEach((method, operation) -> {
                if (operation.getResponses() == null) {
                    return;
                }
                if (!operation.getResponses().containsKey("503")) {
                    operation.getResponses().addApiResponse("503", new ApiResponse().description(UNAVAILABLE));
                }
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("4") || status.startsWith("5")) {
                        response.setContent(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                    } else {
                        jsonInsteadOfAnything(response);
                        if (method != PathItem.HttpMethod.GET && status.startsWith("2")) {
                            response.addHeaderObject(WriteParams.LSN_HEADER, new Header()
                                    .description("log sequence number of the write; grows with every write")
                                    .schema(new IntegerSchema().format("int64")));
                        }
                    }
                });
            }));
        };
    }

    private static void jsonInsteadOfAnything(ApiResponse response) {
        Content content = response.getContent();
        if (content != null && content.containsKey("*/*")) {
            MediaType any = content.remove("*/*");
            content.addMediaType("application/json", any);
        }
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri").example("urn:mathdb:problem:duplicate_key"))
                .addProperty("title", new StringSchema().example("Conflict"))
                .addProperty("status", new IntegerSchema().example(409))
                .addProperty("detail", new StringSchema().example("table 'users': key 1 already exists"))
                .addProperty("instance", new StringSchema().format("uri-reference").example("/tables/users/rows"))
                .addProperty("code", new StringSchema().description("stable machine-readable error code")
                        .example("duplicate_key"))
                .required(List.of("type", "title", "status", "code"));
    }
}
