package io.mathdb.web.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code openapi-read.yaml} (merged into openapi.yaml) and the spec springdoc generates from the read controllers
 * agree on every path, method, parameter (name and place) and response status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.allow-bean-definition-overriding=true")
@Import(TestDatabase.class)
@DirtiesContext
class ReadOpenApiTest {
    private static final Path FRAGMENT = Path.of("src/main/java/io/mathdb/web/read/openapi-read.yaml");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("mathdb.data-dir", () -> {
            try {
                return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "openapi-")
                        .toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void generatedSpecHasExactlyTheFragmentsPathsParametersAndStatuses() throws Exception {
        Map<String, Object> fragment = new Yaml().load(Files.readString(FRAGMENT));
        HttpResponse<String> docs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v3/api-docs")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> generated = JsonMapper.builder().build().readValue(docs.body(), Map.class);
        Map<String, Object> want = (Map<String, Object>) fragment.get("paths");
        Map<String, Object> got = (Map<String, Object>) generated.get("paths");
        for (String path : want.keySet()) {
            Map<String, Object> wantOps = (Map<String, Object>) want.get(path);
            Map<String, Object> gotOps = (Map<String, Object>) got.get(path);
            assertThat(gotOps).as(path).isNotNull();
            assertThat(new TreeSet<>(gotOps.keySet())).as(path).isEqualTo(new TreeSet<>(wantOps.keySet()));
            for (String method : wantOps.keySet()) {
                Map<String, Object> w = (Map<String, Object>) wantOps.get(method);
                Map<String, Object> g = (Map<String, Object>) gotOps.get(method);
                String where = method + " " + path;
                assertThat(parameters(g)).as(where).isEqualTo(parameters(w));
                assertThat(new TreeSet<>(((Map<String, Object>) g.get("responses")).keySet())).as(where)
                        .isEqualTo(new TreeSet<>(((Map<String, Object>) w.get("responses")).keySet()));
                assertThat(g.containsKey("requestBody")).as(where).isEqualTo(w.containsKey("requestBody"));
            }
        }
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) generated.get("components"))
                .get("schemas");
        assertThat(schemas).containsKeys("QueryRequest", "QueryAnswer");
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> parameters(Map<String, Object> operation) {
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of())) {
            names.add(p.get("in") + ":" + p.get("name"));
        }
        return names;
    }
}
