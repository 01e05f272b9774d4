package dev.colony.health;

import dev.colony.Node;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The probes, always served whatever {@code WORKER_MODE} says:
 * {@code /api/__health_check} (NocoBase's, for nginx): 200 {@code ok} while serving, else 503;
 * {@code /health/live}: the process answers; {@code /health/ready}: one entry per readiness check, 503 if any
 * is down (the node's state, storage, and every check a part registers).
 */
public final class HealthRoutes {

  private HealthRoutes() {
  }

  public static void mount(Router router, Node node) {
    router.get("/api/__health_check").handler(ctx -> {
      Node.State state = node.state();
      ctx.response()
        .setStatusCode(state == Node.State.SERVING ? 200 : 503)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(state == Node.State.SERVING ? "ok" : state.name().toLowerCase());
    });
    router.get("/health/live").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("status", "UP").put("nodeId", node.nodeId()).toBuffer()));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(node.readiness()));
  }
}
