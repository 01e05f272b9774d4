package dev.colony.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** NocoBase's response envelopes: success {@code {data, meta?}}, errors {@code {errors:[{message, code}]}}. */
public final class Envelope {

  private Envelope() {
  }

  /** Answers 200 with {@code {data}}. */
  public static Future<Void> ok(RoutingContext ctx, Object data) {
    return json(ctx, 200, new JsonObject().put("data", data));
  }

  /** Answers 200 with {@code {data, meta}}. */
  public static Future<Void> ok(RoutingContext ctx, Object data, JsonObject meta) {
    return json(ctx, 200, new JsonObject().put("data", data).put("meta", meta));
  }

  /** Answers {@code status} with {@code {errors:[{message, code}]}}. */
  public static Future<Void> error(RoutingContext ctx, int status, String code, String message) {
    JsonObject error = new JsonObject().put("message", message).put("code", code);
    return json(ctx, status, new JsonObject().put("errors", new JsonArray().add(error)));
  }

  private static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response()
      .setStatusCode(status)
      .putHeader("Content-Type", "application/json; charset=utf-8")
      .end(body.toBuffer());
  }
}
