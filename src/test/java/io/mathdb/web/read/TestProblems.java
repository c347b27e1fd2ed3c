package io.mathdb.web.read;

import io.mathdb.engine.MathDbException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A stand-in for the web layer's {@code ProblemHandler} (same status per error kind, same {@code code} property) so
 * these tests run before the merge. Delete it, with {@link TestDatabase}, once {@code io.mathdb.web.ProblemHandler}
 * is on this branch.
 */
@RestControllerAdvice
class TestProblems {
    @ExceptionHandler(MathDbException.class)
    ResponseEntity<ProblemDetail> engineError(MathDbException e) {
        HttpStatus status = switch (e.code().kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        body.setProperty("code", e.code().id());
        return ResponseEntity.status(status).body(body);
    }
}
