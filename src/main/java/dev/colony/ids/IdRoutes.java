package dev.colony.ids;

import dev.colony.http.ApiException;
import dev.colony.http.Envelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /api/ids[?count=N]} and {@code GET /api/ids/<id>}. Ids come from memory: no I/O on the request
 * path. {@code nocobase} ids are JSON numbers (below 2^53); {@code snowflake} ids are strings, so JavaScript
 * clients keep every digit.
 */
final class IdRoutes {

  static final int MAX_COUNT = 10_000;

  private IdRoutes() {
  }

  static void mount(Router router, Ids ids) {
    router.get("/api/ids").handler(ctx -> issue(ctx, ids));
    router.get("/api/ids/:id").handler(ctx -> decode(ctx, ids.layout()));
  }

  private static void issue(RoutingContext ctx, Ids ids) {
    List<String> counts = ctx.queryParam("count");
    try {
      if (counts.isEmpty()) {
        Envelope.ok(ctx, json(ids.layout(), ids.next()));
        return;
      }
      long[] batch = ids.next(count(counts.get(0)));
      JsonArray out = new JsonArray(new java.util.ArrayList<>(batch.length));
      for (long id : batch) {
        out.add(json(ids.layout(), id));
      }
      Envelope.ok(ctx, out);
    } catch (IdExhaustedException e) {
      throw unavailable("ids are issued faster than the clock allows", e.retryAfterMillis());
    } catch (IdUnavailableException e) {
      throw unavailable(e.getMessage(), e.retryAfterMillis());
    }
  }

  private static ApiException unavailable(String message, long retryAfterMs) {
    return new ApiException(503, "IDS_UNAVAILABLE", message, Math.max(1, (retryAfterMs + 999) / 1000));
  }

  private static int count(String raw) {
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_COUNT) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.badRequest("count must be an integer from 1 to " + MAX_COUNT + ", got \"" + raw + "\"");
  }

  private static void decode(RoutingContext ctx, IdLayout layout) {
    String raw = ctx.pathParam("id");
    IdParts parts;
    try {
      parts = layout.decompose(Long.parseLong(raw));
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw ApiException.badRequest("id must be a non-negative " + layout.configName() + " id, got \"" + raw + "\"");
    }
    Envelope.ok(ctx, new JsonObject()
      .put("id", json(layout, parts.id()))
      .put("timestamp", parts.timestamp().toString())
      .put("workerId", parts.workerId())
      .put("sequence", parts.sequence())
      .put("layout", layout.configName()));
  }

  private static Object json(IdLayout layout, long id) {
    return layout == IdLayout.SNOWFLAKE ? Long.toString(id) : id;
  }
}
