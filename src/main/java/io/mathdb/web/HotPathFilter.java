package io.mathdb.web;

import io.mathdb.engine.CoercedRows;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.ObjectMapper;

/**
 * Serves the two busiest endpoints, {@code POST /tables/{table}/rows} with a JSON body and
 * {@code GET /tables/{table}/rows/{key}}, by calling {@link RowController}'s methods directly instead of going
 * through Spring MVC's dispatch (handler lookup, argument resolvers, message converters, return value handlers).
 * That dispatch costs several times what a single-row write or key read costs the engine: on a 2-core machine the
 * same insert answers about three times as many requests a second this way (bench/ANALYSIS.md).
 *
 * <p>The controller stays the one implementation and the documented one. Only the plain shape of each request is
 * taken here; anything else (another Accept, a trailing slash, other media types) goes on to Spring MVC and the
 * same methods. Errors go to the same exception handler ({@link ProblemHandler}) through Spring's resolver, so the
 * answers are the same whichever way a request went. It runs after {@link BodySizeLimitFilter} and inside the
 * HTTP server observation, so body limits and request metrics apply as for any endpoint.
 *
 * <p>An insert is answered asynchronously: the request thread queues the write and goes back to the pool, and a
 * container thread writes the answer once the writer has acknowledged it. Waiting threads cost more than the write:
 * on 2 cores a request thread that waited spent ~75 µs of CPU a request (a third of it switching threads), one
 * that does not ~30 µs (bench/ANALYSIS.md, W1).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class HotPathFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(HotPathFilter.class);
    private static final String ROWS_PATTERN = "/tables/{table}/rows";
    private static final String ROW_PATTERN = "/tables/{table}/rows/{key}";

    private final RowController rows;
    private final ObjectMapper json;
    private final HandlerExceptionResolver errors;

    HotPathFilter(RowController rows, ObjectMapper json,
                  @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.rows = rows;
        this.json = json;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] path = rowPath(request);
        boolean insert = path != null && path.length == 1 && request.getMethod().equals("POST")
                && isJson(request.getContentType());
        boolean get = path != null && path.length == 2 && request.getMethod().equals("GET");
        if (!(insert || get) || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(insert ? ROWS_PATTERN : ROW_PATTERN));
        try {
            if (insert) {
                CoercedRows body = rows.readRows(path[0], request);
                AsyncContext async = request.startAsync();
                async.setTimeout(0); // as long as the write takes, like a request that waits for it
                Answer answer = new Answer(async, request, response);
                async.addListener(answer);
                CompletableFuture<ResponseEntity<WriteResponse>> written;
                try {
                    written = rows.insert(body, request.getParameter("on_conflict"),
                            request.getHeader("Prefer"), request.getParameter("durability"));
                } catch (RuntimeException refused) {
                    written = CompletableFuture.failedFuture(refused);
                }
                // The answer is written on a container thread: never on the thread that completes the future (the
                // writer's, or the log syncer's for sync writes).
                written.whenComplete((result, error) -> {
                    try {
                        async.start(() -> answer.send(result, error));
                    } catch (RuntimeException stopping) {
                        // the container gives no thread while it stops; answer all the same
                        CompletableFuture.runAsync(() -> answer.send(result, error));
                    }
                });
            } else {
                Map<String, Object> row = rows.get(path[0], path[1]);
                write(response, HttpServletResponse.SC_OK, row);
            }
        } catch (Exception e) {
            if (response.isCommitted() || errors.resolveException(request, response, null, e) == null) {
                throw new ServletException(e);
            }
        }
    }

    /** The answer to one asynchronous insert, written once, unless the container has given up on the request. */
    private final class Answer implements AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Answer(AsyncContext async, HttpServletRequest request, HttpServletResponse response) {
            this.async = async;
            this.request = request;
            this.response = response;
        }

        void send(ResponseEntity<WriteResponse> written, Throwable error) {
            if (!open.compareAndSet(true, false)) {
                return; // the connection failed meanwhile and the container completed the request
            }
            try {
                if (error == null) {
                    response.setHeader(WriteParams.LSN_HEADER, written.getHeaders().getFirst(WriteParams.LSN_HEADER));
                    write(response, written.getStatusCode().value(), written.getBody());
                } else {
                    Exception e = error instanceof CompletionException && error.getCause() instanceof Exception cause
                            ? cause : error instanceof Exception plain ? plain : new IllegalStateException(error);
                    if (errors.resolveException(request, response, null, e) == null) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                }
            } catch (IOException e) {
                LOG.debug("cannot answer a write", e); // the client went away; the write itself stands
            } catch (RuntimeException e) {
                LOG.warn("cannot answer a write", e);
            } finally {
                async.complete();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            open.set(false);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            open.set(false);
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /**
     * {@code [table]} for {@code /tables/{table}/rows}, {@code [table, key]} for {@code /tables/{table}/rows/{key}},
     * both decoded as Spring decodes path variables; null for any other path.
     */
    static String[] rowPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int start = request.getContextPath().length();
        if (!uri.startsWith("/tables/", start) || uri.indexOf(';') >= 0) {
            return null;
        }
        int tableStart = start + "/tables/".length();
        int tableEnd = uri.indexOf('/', tableStart);
        if (tableEnd <= tableStart || !uri.startsWith("/rows", tableEnd)) {
            return null;
        }
        String table = UriUtils.decode(uri.substring(tableStart, tableEnd), StandardCharsets.UTF_8);
        int rest = tableEnd + "/rows".length();
        if (rest == uri.length()) {
            return new String[] {table};
        }
        if (uri.charAt(rest) != '/' || rest + 1 == uri.length() || uri.indexOf('/', rest + 1) >= 0) {
            return null;
        }
        return new String[] {table, UriUtils.decode(uri.substring(rest + 1), StandardCharsets.UTF_8)};
    }

    /** {@code application/json}, with or without parameters: what the controller's {@code consumes} takes. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equals(MediaType.APPLICATION_JSON_VALUE)) {
            return true; // what nearly every client sends: no parsing on the hot path
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application") && type.getSubtype().equals("json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean acceptsJson(String accept) {
        if (accept == null || accept.equals("*/*") || accept.equals(MediaType.APPLICATION_JSON_VALUE)) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(t -> t.includes(MediaType.APPLICATION_JSON));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
