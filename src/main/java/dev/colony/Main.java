package dev.colony;

import ch.qos.logback.classic.Level;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigException;
import dev.colony.config.ConfigLoader;
import dev.colony.config.DotEnv;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one node: reads the environment (and {@code ./.env}), builds Vert.x with the native transport where
 * available, starts the node, and on SIGTERM or SIGINT shuts it down gracefully and exits 0. A second signal
 * exits at once. A configuration error exits 2 with one message listing every problem.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    ColonyConfig config;
    try {
      config = ConfigLoader.load(DotEnv.merge(Path.of(".env"), System.getenv()),
        Runtime.getRuntime().availableProcessors());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
      .setLevel(Level.toLevel(config.loggerLevel()));
    List<String> missing = ConfigLoader.missingSharedParts(config);
    if (config.clustered() && !missing.isEmpty()) {
      log.warn("CLUSTER_ALLOW_PARTIAL=true: starting a HALF-CLUSTERED node; expect duplicate ids and stale caches."
        + " Missing: {}", missing);
    }

    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    if (!vertx.isNativeTransportEnabled()) {
      log.info("Native transport unavailable ({}); using NIO", String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    Node node = new Node(vertx, config, Parts.of(vertx, config));
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (!stopping.compareAndSet(false, true)) {
          log.warn("Second SIG{}: exiting now", name);
          Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        log.info("SIG{} received: shutting down", name);
        node.shutdown().onComplete(ar -> stopped.complete(null));
      });
    }
    node.start().onFailure(e -> {
      log.error("Colony failed to start: {}", e.getMessage(), e);
      stopped.completeExceptionally(e);
    });
    // The main thread waits for the node to stop, then closes Vert.x from outside its event loops.
    int status = stopped.handle((v, e) -> e == null ? 0 : 1).join();
    vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(status);
  }
}
