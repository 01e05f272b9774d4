package dev.colony.queue;

import dev.colony.http.Actions;
import dev.colony.http.ApiException;
import dev.colony.http.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * {@code GET /api/queue:deadLetters?channel=<c>[&limit=N]} lists a channel's dead letters, oldest first;
 * {@code POST /api/queue:requeue} with {@code {"channel": c, "id": messageId}} puts one back on its channel (404 when
 * there is no such dead letter). A bad channel or limit is a 400 naming it; a queue that cannot answer is a 503.
 */
final class QueueRoutes {

  static final int MAX_LIMIT = 1_000;

  private QueueRoutes() {
  }

  static void mount(Router router, Handler<RoutingContext> body, Supplier<MessageQueue> queue) {
    Actions.action(router, HttpMethod.GET, "queue", "deadLetters").handler(ctx -> {
      String channel = channel(ctx.queryParams().get("channel"));
      int limit = limit(ctx.queryParams().get("limit"));
      answer(ctx, queue.get().deadLetters(channel, limit).map(list -> {
        JsonArray out = new JsonArray();
        list.forEach(d -> out.add(d.toJson()));
        return out;
      }));
    });
    Actions.action(router, HttpMethod.POST, "queue", "requeue").handler(body).handler(ctx -> {
      JsonObject in = ctx.body().asJsonObject();
      if (in == null) {
        throw ApiException.badRequest("expected a JSON body {\"channel\": ..., \"id\": ...}");
      }
      String channel = channel(in.getValue("channel") instanceof String s ? s : null);
      Object id = in.getValue("id");
      if (!(id instanceof String) && !(id instanceof Number)) {
        throw ApiException.badRequest("id must be the message id (a string), got " + id);
      }
      answer(ctx, queue.get().requeue(channel, id.toString()).map(found -> {
        if (!found) {
          throw new ApiException(404, "NOT_FOUND", "no dead letter " + id + " in queue channel " + channel);
        }
        return new JsonObject().put("requeued", id.toString()).put("channel", channel);
      }));
    });
  }

  private static void answer(RoutingContext ctx, Future<?> result) {
    result.onSuccess(data -> Envelope.ok(ctx, data)).onFailure(e -> ctx.fail(e instanceof ApiException ? e
      : new ApiException(503, "QUEUE_UNAVAILABLE", "the queue did not answer: " + Handlers.describe(e), 1)));
  }

  private static String channel(String raw) {
    try {
      return Channels.check(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static int limit(String raw) {
    if (raw == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT + ", got \"" + raw + "\"");
  }
}
