package io.mathdb.web;

import io.mathdb.engine.MathDbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * The one place errors become HTTP: every error answer is an RFC 9457 {@code application/problem+json} document with
 * a stable machine-readable {@code code} property. Engine errors carry their own code and a message naming the
 * field, key or value; Spring MVC's own errors (unknown path, wrong method, unsupported media type, unreadable body)
 * get a code derived from their status, see {@link #codeFor}.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    /** Jackson's note that it hides the source from locations: noise in a message meant for clients. */
    private static final Pattern SOURCE = Pattern.compile("\\s*at \\[Source: [^\\]]*\\]");

    /**
     * The problem type of a code. Problem types are identifiers, not pages to fetch, so a URN: RFC 9457 allows a
     * type URI that does not resolve, and an absent type would mean the generic {@code about:blank}.
     */
    static URI typeOf(String code) {
        return URI.create("urn:mathdb:problem:" + code);
    }

    @ExceptionHandler(MathDbException.class)
    ResponseEntity<ProblemDetail> engineError(MathDbException e, HttpServletRequest request) {
        HttpStatus status = switch (e.code().kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        if (status.is5xxServerError()) {
            log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
        }
        return problem(status, e.code().id(), e.getMessage(), request);
    }

    /**
     * Unparseable JSON is {@code malformed_json}; JSON of the wrong shape for the endpoint (a string where a list of
     * columns belongs) and a missing body are {@code invalid_request}.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
                return handleExceptionInternal(e, tooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        ProblemDetail body = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DatabindException shape) {
            body.setDetail(describe(shape));
            body.setProperty("code", "invalid_request");
        } else if (cause instanceof StreamReadException syntax) {
            body.setDetail("malformed JSON: " + SOURCE.matcher(syntax.getOriginalMessage()).replaceAll("")
                    + (syntax.getLocation() == null ? "" : " (line " + syntax.getLocation().getLineNr()
                    + ", column " + syntax.getLocation().getColumnNr() + ")"));
            body.setProperty("code", "malformed_json");
        } else {
            body.setDetail("a JSON request body is required");
            body.setProperty("code", "invalid_request");
        }
        return handleExceptionInternal(e, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Gives the problems Spring MVC builds for its own exceptions (404, 405, 415...) a type and a code. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            Object code = problem.getProperties() == null ? null : problem.getProperties().get("code");
            if (code == null) {
                code = codeFor(status);
                problem.setProperty("code", code);
            }
            problem.setType(typeOf(code.toString()));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    /** Reading a streamed body failed: over the size limit (413), or the client went away. */
    @ExceptionHandler(java.io.UncheckedIOException.class)
    ResponseEntity<ProblemDetail> bodyReadFailed(java.io.UncheckedIOException e, HttpServletRequest request) {
        if (e.getCause() instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
            return tooLarge(tooLarge, request);
        }
        return problem(HttpStatus.BAD_REQUEST, "invalid_request", "the request body could not be read: "
                + e.getCause().getMessage(), request);
    }

    /** A streamed body (read by an endpoint itself, not by a message converter) that passed the size limit. */
    @ExceptionHandler(BodySizeLimitFilter.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodySizeLimitFilter.BodyTooLargeException e, HttpServletRequest request) {
        ProblemDetail body = tooLarge(e);
        body.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close").body(body);
    }

    private static ProblemDetail tooLarge(BodySizeLimitFilter.BodyTooLargeException e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        body.setType(typeOf("payload_too_large"));
        body.setProperty("code", "payload_too_large");
        return body;
    }

    /** The 413 answer for a declared length over the limit, written before any of Spring MVC runs. */
    static void writeTooLarge(HttpServletResponse response, long maxBytes) throws java.io.IOException {
        response.setStatus(413);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"" + typeOf("payload_too_large") + "\",\"title\":\"Content Too Large\","
                + "\"status\":413,\"detail\":\"the request body is larger than " + maxBytes
                + " bytes (mathdb.http.max-body-size)\",\"code\":\"payload_too_large\"}");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log",
                request);
    }

    /** The {@code code} of an error Spring MVC raises itself, named after its status. */
    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "unavailable";
            default -> status.is5xxServerError() ? "internal" : "http_" + status.value();
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail,
                                                         HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(typeOf(code));
        body.setInstance(URI.create(request.getRequestURI()));
        body.setProperty("code", code);
        return ResponseEntity.status(status).body(body);
    }

    /** A data-binding error as "at columns[0].name: Cannot deserialize ...", without Java class names where possible. */
    private static String describe(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            }
        }
        String message = e.getOriginalMessage();
        return "the JSON body has the wrong shape" + (path.isEmpty() ? "" : " at " + path) + ": " + message;
    }
}
