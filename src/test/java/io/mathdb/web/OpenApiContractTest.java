package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.core.type.TypeReference;

/**
 * {@code openapi.yaml} at the repository root is the published contract; the service serves a spec generated from
 * its controllers at {@code /v3/api-docs}. They must agree on every path, method, parameter (name and place) and
 * response status. Bodies and descriptions are free to differ in wording.
 */
class OpenApiContractTest extends HttpTestSupport {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");

    @Test
    void servedSpecMatchesPublishedContract() throws IOException {
        Reply served = get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        Map<String, Object> generated = JSON.readValue(served.body(), new TypeReference<Map<String, Object>>() { });
        Map<String, Object> published;
        try (Reader reader = Files.newBufferedReader(Path.of("openapi.yaml"))) {
            published = new Yaml().load(reader);
        }

        Map<String, String> fromService = operations(generated);
        Map<String, String> fromFile = operations(published);

        List<String> differences = new ArrayList<>();
        Set<String> all = new TreeSet<>(fromService.keySet());
        all.addAll(fromFile.keySet());
        for (String operation : all) {
            String s = fromService.get(operation);
            String f = fromFile.get(operation);
            if (s == null) {
                differences.add(operation + " is in openapi.yaml but not served");
            } else if (f == null) {
                differences.add(operation + " is served but not in openapi.yaml");
            } else if (!s.equals(f)) {
                differences.add(operation + ":\n    served:       " + s + "\n    openapi.yaml: " + f);
            }
        }
        assertThat(differences).as("differences between /v3/api-docs and openapi.yaml").isEmpty();
        assertThat(fromFile).containsKeys("POST /tables", "GET /tables/{table}/rows/{key}", "POST /batch");
    }

    /** "METHOD path" to "parameters [in:name...] statuses [...]" for every operation of a spec. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> operations(Map<String, Object> spec) {
        Map<String, Object> components = (Map<String, Object>) spec.getOrDefault("components", Map.of());
        Map<String, String> operations = new TreeMap<>();
        Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
        paths.forEach((path, itemObject) -> {
            Map<String, Object> item = (Map<String, Object>) itemObject;
            List<Object> shared = (List<Object>) item.getOrDefault("parameters", List.of());
            item.forEach((method, operationObject) -> {
                if (!METHODS.contains(method)) {
                    return;
                }
                Map<String, Object> operation = (Map<String, Object>) operationObject;
                Set<String> parameters = new TreeSet<>();
                List<Object> own = (List<Object>) operation.getOrDefault("parameters", List.of());
                for (Object p : concat(shared, own)) {
                    Map<String, Object> parameter = resolve((Map<String, Object>) p, components);
                    String in = (String) parameter.get("in");
                    String name = (String) parameter.get("name");
                    // Header names are case-insensitive on the wire; compare them that way.
                    parameters.add(in + ":" + (in.equals("header") ? name.toLowerCase(Locale.ROOT) : name));
                }
                Set<String> statuses = new TreeSet<>(
                        ((Map<String, Object>) operation.getOrDefault("responses", Map.of())).keySet());
                operations.put(method.toUpperCase(Locale.ROOT) + " " + path,
                        "parameters " + parameters + " statuses " + statuses);
            });
        });
        return operations;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Follows a {@code $ref} such as {@code #/components/parameters/durability}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(Map<String, Object> node, Map<String, Object> components) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String[] parts = ref.toString().replaceFirst("^#/components/", "").split("/");
        Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) components.get(parts[0]))
                .get(parts[1]);
        assertThat(target).as("unresolved %s", ref).isNotNull();
        return resolve(target, components);
    }
}
