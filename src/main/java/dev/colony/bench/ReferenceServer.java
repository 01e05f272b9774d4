package dev.colony.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The benchmarks' reference: a bare Vert.x HTTP server, one route answering 200 {@code ok}, built with the same
 * Vert.x options as a node. Run as {@code java -cp target/colony.jar dev.colony.bench.ReferenceServer PORT
 * INSTANCES}; stops on SIGTERM.
 */
public final class ReferenceServer extends VerticleBase {

  private final int port;

  private ReferenceServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/api/__health_check")) {
        req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(port);
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    vertx.deployVerticle(() -> new ReferenceServer(port), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("reference server on " + port + " with " + instances + " instance(s)"))
      .onFailure(e -> {
        System.err.println("reference server cannot start on port " + port + ": " + e);
        System.exit(1);
      });
  }
}
