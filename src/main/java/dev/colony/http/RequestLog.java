package dev.colony.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * First handler of every request: reads {@code X-Request-Id} (or makes one), returns it on the response, and,
 * when enabled, logs one access line per request (method, path, status, ms) on the {@code access} logger.
 */
public final class RequestLog implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  /** Routing-context key of the request id. */
  public static final String KEY = "requestId";

  private static final Logger access = LoggerFactory.getLogger("access");
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private final boolean accessLog;

  public RequestLog(boolean accessLog) {
    this.accessLog = accessLog;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (id == null || !VALID_ID.matcher(id).matches()) {
      id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    if (accessLog) {
      long start = System.nanoTime();
      String rid = id;
      ctx.addEndHandler(ar -> access.info("{} {} {} {}ms rid={}{}", ctx.request().method(), ctx.request().path(),
        ctx.response().getStatusCode(), String.format("%.1f", (System.nanoTime() - start) / 1e6), rid,
        ar.succeeded() ? "" : " (connection closed before the response was sent)"));
    }
    ctx.next();
  }
}
