package dev.colony.http;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.health.HealthRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP event loop of a node: {@code CLUSTER_MODE} instances share the port. Health routes come first and
 * are always served; the application API is served unless {@code WORKER_MODE} says this node only runs jobs.
 */
public final class HttpVerticle extends VerticleBase {

  private final Node node;
  private HttpServer server;

  public HttpVerticle(Node node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    var config = node.config();
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog(config.http().accessLog()));
    // Once draining, every answer closes its connection, so keep-alive clients reconnect (through the load
    // balancer, to another node) instead of racing the server's close with their next request.
    router.route().handler(ctx -> {
      if (node.state() != Node.State.SERVING) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
      ctx.next();
    });
    HealthRoutes.mount(router, node);
    Actions.action(router, HttpMethod.GET, "cluster", "status").handler(ctx -> Envelope.ok(ctx, node.status()));
    if (config.workerMode().serveApi()) {
      BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().bodyLimit());
      for (Part part : node.parts()) {
        part.routes(router, body);
      }
    }
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {404, 405, 413}) {
      router.errorHandler(status, Failures::handle);
    }
    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config.http().host())
      .setPort(config.http().port()));
    return server.requestHandler(router).listen().onSuccess(s -> node.bound(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(node.config().shutdown().timeoutMs(), TimeUnit.MILLISECONDS);
  }
}
