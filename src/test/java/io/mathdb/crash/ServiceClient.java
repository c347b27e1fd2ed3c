package io.mathdb.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP to a child service; connection failures surface as {@link IOException} so writers can tell a crash. */
final class ServiceClient {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;

    ServiceClient(int port) {
        this.port = port;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Reply send(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A request that must get an answer: the service is meant to be up. */
    Reply call(String method, String path, String body) {
        try {
            return send(method, path, body);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " got no answer: " + e, e);
        }
    }

    Reply get(String path) {
        return call("GET", path, null);
    }

    /** The status of a GET, or -1 while nothing answers on the port. */
    int tryGet(String path) {
        try {
            return send("GET", path, null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Creates {@code name(id Int64 key, client Int32, seq Int64)}: rows that say who wrote them, and in what order. */
    void createAckTable(String name) {
        Reply reply = call("POST", "/tables?durability=sync", "{\"name\":\"" + name + "\",\"columns\":["
                + "{\"name\":\"id\",\"type\":\"Int64\",\"primaryKey\":true},"
                + "{\"name\":\"client\",\"type\":\"Int32\"},{\"name\":\"seq\",\"type\":\"Int64\"}]}");
        if (reply.status() != 201) {
            throw new AssertionError("creating " + name + " failed: " + reply);
        }
    }

    long count(String table) {
        Reply reply = get("/tables/" + table + "/count");
        if (reply.status() != 200) {
            throw new AssertionError("count of " + table + " failed: " + reply);
        }
        return reply.json().get("count").asLong();
    }
}
