package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Errors outside the engine: every one is {@code application/problem+json} with type, title, status, detail and a
 * stable code, and none writes anything. The body limit is lowered to 1KB here so a test body can exceed it.
 */
@TestPropertySource(properties = "mathdb.http.max-body-size=1KB")
class ProblemResponsesTest extends HttpTestSupport {
    private static int round;
    private String t;

    @BeforeEach
    void table() {
        t = "items" + ++round;
        createTable(t, "id Int64 key, note Utf8");
    }

    private long count() {
        return get("/tables/" + t + "/count").json().get("count").longValue();
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("code").stringValue()).isEqualTo(code);
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:mathdb:problem:" + code);
        assertThat(problem.get("title").stringValue()).isNotBlank();
        assertThat(problem.get("detail").stringValue()).isNotBlank();
    }

    @Test
    void engineErrorIsProblemWithCodeAndDetail() {
        post("/tables/" + t + "/rows", "{\"id\":1}");
        Reply reply = post("/tables/" + t + "/rows", "{\"id\":1}");
        assertProblem(reply, 409, "duplicate_key");
        assertThat(reply.json().get("instance").stringValue()).isEqualTo("/tables/" + t + "/rows");
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        assertProblem(post("/tables/" + t + "/rows", "{\"id\":1"), 400, "malformed_json");
        assertProblem(post("/tables/" + t + "/rows", "{id:1}"), 400, "malformed_json");
        assertProblem(post("/tables", "{\"name\":"), 400, "malformed_json");
        assertProblem(post("/batch", "{\"ops\":[}"), 400, "malformed_json");
        assertThat(count()).isZero();
    }

    @Test
    void columnGivenTwiceInOneObjectIsMalformedJson() {
        assertProblem(post("/tables/" + t + "/rows", "{\"id\":1,\"id\":2}"), 400, "malformed_json");
        assertThat(count()).isZero();
    }

    @Test
    void arrayOfNonObjectsIs400InvalidRequest() {
        Reply reply = post("/tables/" + t + "/rows", "[{\"id\":1},2]");
        assertProblem(reply, 400, "invalid_request");
        assertThat(reply.json().get("detail").stringValue()).contains("rows[1]");
        assertProblem(post("/tables/" + t + "/rows", "\"id\""), 400, "invalid_request");
        assertThat(count()).isZero();
    }

    @Test
    void emptyBodyIs400InvalidRequest() {
        assertProblem(send("POST", "/tables/" + t + "/rows", "", "application/json"), 400, "invalid_request");
    }

    @Test
    void bodyOverTheLimitIs413AndWritesNothing() {
        String big = "{\"id\":1,\"note\":\"" + "x".repeat(2000) + "\"}";
        assertProblem(post("/tables/" + t + "/rows", big), 413, "payload_too_large");
        assertThat(count()).isZero();
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndWritesNothing() {
        byte[] big = ("{\"id\":1,\"note\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri("/tables/" + t + "/rows"))
                .header("Content-Type", "application/json")
                // A stream publisher has no known length, so the client sends it chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        assertProblem(send(request), 413, "payload_too_large");
        assertThat(count()).isZero();
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() {
        byte[] small = "{\"id\":1,\"note\":\"chunked\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri("/tables/" + t + "/rows"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small)))
                .build();
        assertThat(send(request).status()).isEqualTo(201);
        assertThat(get("/tables/" + t + "/rows/1").json().get("note").stringValue()).isEqualTo("chunked");
    }

    @Test
    void nonJsonContentTypeIs415AndWritesNothing() {
        assertProblem(send("POST", "/tables/" + t + "/rows", "{\"id\":1}", "text/plain"), 415,
                "unsupported_media_type");
        assertProblem(send("PUT", "/tables/" + t + "/rows/1", "{\"id\":1}", "application/xml"), 415,
                "unsupported_media_type");
        assertProblem(send("POST", "/batch", "{\"ops\":[]}", "text/csv"), 415, "unsupported_media_type");
        assertProblem(send("POST", "/tables", "{}", "application/x-www-form-urlencoded"), 415,
                "unsupported_media_type");
        assertThat(count()).isZero();
    }

    @Test
    void unknownPathIs404Problem() {
        assertProblem(get("/no/such/path"), 404, "not_found");
        assertProblem(get("/batch"), 405, "method_not_allowed");
    }

    @Test
    void wrongMethodIs405Problem() {
        Reply reply = send("PUT", "/tables", "{}", "application/json");
        assertProblem(reply, 405, "method_not_allowed");
        assertThat(reply.header("Allow")).isPresent();
        assertProblem(send("POST", "/tables/" + t + "/count", "{}", "application/json"), 405, "method_not_allowed");
    }

    @Test
    void requestsTheHttpServerCannotReadAreProblemsThatSayWhy() throws Exception {
        Reply bigHeader = send("GET", "/tables", null, null, "X-Filler", "a".repeat(20_000));
        assertProblem(bigHeader, 400, "invalid_request");
        assertThat(bigHeader.json().get("detail").stringValue()).contains("header is too large");

        assertProblem(get("/tables/a%00b"), 400, "invalid_request");

        try (Socket socket = new Socket("localhost", port)) {
            String badMethod = "GE(T /tables HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write(badMethod.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                    .contains("\"code\":\"invalid_request\"").contains("method name");
        }
        assertThat(count()).isZero();
    }
}
