package io.mathdb.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import io.mathdb.engine.Database;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on a random port with its data in a fresh directory per test class, spoken to over
 * real HTTP, so the body size filter, Tomcat and the JSON settings are all in the path. The context is closed after
 * the class, which closes the database before the directory goes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class HttpTestSupport {
    /** Reads answers exactly: fractional numbers as BigDecimal, so a test sees the digits the service wrote. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    Database db;

    /** Recovery runs on its own thread; until it is done the service answers 503 recovering. */
    @BeforeEach
    void awaitRecovery() {
        db.ready().join();
    }

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("mathdb.data-dir", HttpTestSupport::freshDataDir);
    }

    /**
     * A new empty directory under {@code target/}, made when the context starts (so before any test-instance
     * lifecycle, which a JUnit {@code @TempDir} cannot promise) and removed by {@code mvn clean}.
     */
    static String freshDataDir() {
        try {
            Path root = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(root, "mathdb-").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An answer: status, headers and the body parsed as JSON (null if empty). */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return body.isEmpty() ? null : JSON.readTree(body);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        long lsn() {
            return Long.parseLong(header("MathDB-LSN").orElseThrow());
        }

        String code() {
            return json().get("code").stringValue();
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }
    }

    Reply get(String path) {
        return send("GET", path, null, "application/json");
    }

    Reply delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    Reply post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    Reply put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    Reply patch(String path, String json) {
        return send("PATCH", path, json, "application/json");
    }

    Reply send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Creates a table from a column list such as {@code "id Int64 key, name Utf8, age Int32 notnull"}. */
    void createTable(String name, String columns) {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"columns\":[");
        String[] parts = columns.split(",\\s+");
        for (int i = 0; i < parts.length; i++) {
            String[] words = parts[i].trim().split("\\s+");
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(words[0]).append("\",\"type\":\"")
                    .append(words[1]).append('"');
            for (int w = 2; w < words.length; w++) {
                json.append(words[w].equals("key") ? ",\"primaryKey\":true" : ",\"nullable\":false");
            }
            json.append('}');
        }
        Reply reply = post("/tables", json.append("]}").toString());
        if (reply.status() != 201) {
            throw new IllegalStateException("creating " + name + " failed: " + reply.body());
        }
    }
}
