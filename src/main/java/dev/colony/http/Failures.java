package dev.colony.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: maps what went wrong to a status and NocoBase's error envelope. 400, 404, 405, 413
 * and 503 say what the client can do; 500 is for bugs only, logged with the request id and never shown.
 */
public final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {
  }

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException e) {
      if (e.retryAfterSeconds() > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      }
      Envelope.error(ctx, e.status(), e.code(), e.getMessage());
    } else if (failure instanceof DecodeException) {
      Envelope.error(ctx, 400, "BAD_REQUEST", "the request body is not valid JSON");
    } else if (failure instanceof HttpException e && e.getStatusCode() < 500) {
      byStatus(ctx, e.getStatusCode());
    } else if (failure == null && ctx.statusCode() < 500) {
      byStatus(ctx, ctx.statusCode());
    } else {
      log.error("Unexpected failure on {} {} rid={}", ctx.request().method(), ctx.request().path(),
        ctx.get(RequestLog.KEY), failure);
      Envelope.error(ctx, 500, "INTERNAL_ERROR", "internal error; quote request id " + ctx.get(RequestLog.KEY));
    }
  }

  private static void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 404 -> Envelope.error(ctx, 404, "NOT_FOUND", "no resource at " + ctx.request().path());
      case 405 -> Envelope.error(ctx, 405, "METHOD_NOT_ALLOWED",
        ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> Envelope.error(ctx, 413, "PAYLOAD_TOO_LARGE", "the request body is larger than the limit");
      default -> Envelope.error(ctx, status, "BAD_REQUEST", "bad request");
    }
  }
}
