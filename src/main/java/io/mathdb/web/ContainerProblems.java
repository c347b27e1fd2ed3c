package io.mathdb.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Problems for the errors Tomcat answers itself, before any of MathDB runs: a request line or header it cannot
 * parse, headers over {@code server.max-http-request-header-size}, a URI with an encoded NUL, a request on a
 * kept-alive connection while the server stops. Tomcat's own error report is an HTML page; this one is the
 * {@code application/problem+json} every other MathDB error is ({@link ProblemHandler}).
 */
@Configuration(proxyBeanMethods = false)
class ContainerProblems {
    private static final JsonFactory JSON = new JsonFactory();

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(Valve.class.getName());
            }
        });
    }

    /** Tomcat creates it by name, so it is public with a public constructor. */
    public static class Valve extends ErrorReportValve {
        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own report: nothing for a success, for a body already begun, or for an error reported.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean();
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(problem(status, detail(status, response.getMessage(), throwable)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response closed: there is no one left to tell.
            }
        }
    }

    /**
     * Tomcat's reason is shown for a request it refused (4xx: what in the request it could not take), never for a
     * server error, whose exception may tell internals (Tomcat's own report hides both).
     */
    static String detail(int status, String message, Throwable throwable) {
        if (status == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            return "the server is not taking requests now (it is starting or stopping)";
        }
        if (status >= 500) {
            return "internal error; see the server log";
        }
        String reason = throwable != null && throwable.getMessage() != null ? throwable.getMessage() : message;
        HttpStatus known = HttpStatus.resolve(status);
        return "the HTTP server refused the request (" + (known == null ? "HTTP " + status : known.getReasonPhrase())
                + ")" + (reason == null || reason.isBlank() ? "" : ": " + reason);
    }

    static String problem(int status, String detail) throws IOException {
        HttpStatus known = HttpStatus.resolve(status);
        String code = ProblemHandler.codeFor(HttpStatusCode.valueOf(status));
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeStringProperty("type", ProblemHandler.typeOf(code).toString());
            json.writeStringProperty("title", known == null ? "HTTP " + status : known.getReasonPhrase());
            json.writeNumberProperty("status", status);
            json.writeStringProperty("detail", detail);
            json.writeStringProperty("code", code);
            json.writeEndObject();
        }
        return out.toString();
    }
}
