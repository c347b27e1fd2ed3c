/**
 * MathDB over HTTP: thin controllers that translate requests into calls on {@link io.mathdb.engine.Database} and
 * engine errors into RFC 9457 problems ({@link io.mathdb.web.ProblemHandler}). Nothing here validates names, types
 * or keys: the engine does, once per request, so a rejected request changes nothing.
 *
 * <p>{@link io.mathdb.web.HotPathFilter} calls {@link io.mathdb.web.RowController} directly for JSON inserts and key
 * reads, the two busiest requests, so they skip Spring MVC's dispatch; everything else goes through Spring MVC.
 *
 * <p>The published contract is {@code openapi.yaml} at the repository root; {@code OpenApiContractTest} keeps it in
 * agreement with the annotations on these controllers.
 */
package io.mathdb.web;
