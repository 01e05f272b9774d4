package dev.colony;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * One part of a node (worker ids, signals, cache, locks, queue...). The node starts its parts in order before
 * the HTTP verticles and stops them in reverse order after the HTTP servers have closed.
 */
public interface Part {

  /** Short name, used in logs and in {@code /api/cluster:status}, e.g. {@code locks}. */
  String name();

  /** The adapter in use, e.g. {@code redis} or {@code local}. */
  String adapter();

  /**
   * Starts the part; a failed future stops the node from starting. The part registers its readiness checks
   * on {@code node.readiness()} here.
   */
  Future<?> start(Node node);

  /** Stops the part, releasing what it holds; called once, after the HTTP servers have closed. */
  Future<?> stop();

  /**
   * Adds this part's application routes; called once per HTTP verticle instance, on its event loop. Routes that
   * read a request body put {@code body} first (it enforces {@code HTTP_BODY_LIMIT}).
   */
  default void routes(Router router, Handler<RoutingContext> body) {
  }

  /** Adds this part's fields to {@code /api/cluster:status}; never secrets. */
  default void status(JsonObject status) {
  }
}
