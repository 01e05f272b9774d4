package dev.colony;

import dev.colony.config.ColonyConfig;
import dev.colony.http.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One Colony node: starts its parts in order, then {@code CLUSTER_MODE} HTTP verticles; drains and stops them in
 * reverse. Shared by every HTTP verticle instance, so its mutable state is thread-safe.
 */
public final class Node {

  /** Where the node is in its life. Health answers 200 only while {@link #SERVING}. */
  public enum State { STARTING, SERVING, DRAINING, STOPPING }

  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final ColonyConfig config;
  private final List<Part> parts;
  private final String nodeId;
  private final String version;
  private final HealthChecks readiness;
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final List<Part> started = new CopyOnWriteArrayList<>();
  private volatile State state = State.STARTING;
  private volatile int port;
  private String httpDeployment;

  public Node(Vertx vertx, ColonyConfig config, List<Part> parts) {
    this.vertx = vertx;
    this.config = config;
    this.parts = List.copyOf(parts);
    this.nodeId = newNodeId();
    this.version = implementationVersion();
    this.readiness = HealthChecks.create(vertx);
  }

  /** Starts the parts in order, then the HTTP verticles; fails if any of them fails. */
  public Future<Node> start() {
    registerNodeChecks();
    Future<?> chain = vertx.fileSystem().mkdirs(config.storagePath().toString());
    for (Part part : parts) {
      chain = chain.compose(v -> part.start(this)).onSuccess(v -> started.add(part));
    }
    return chain
      .compose(v -> vertx.deployVerticle(() -> new HttpVerticle(this),
        new DeploymentOptions().setInstances(config.http().instances())))
      .map(id -> {
        httpDeployment = id;
        state = State.SERVING;
        log.info("Colony node {} version {} serving on {}:{} with {} HTTP instance(s) ({} transport); adapters {};"
            + " configured, not running yet {}", nodeId, version, config.http().host(), port,
          config.http().instances(), transport(), adapters(), configuredOnly());
        return this;
      })
      .recover(e -> stopParts(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdown().timeoutMs()))
        .transform(v -> Future.failedFuture(e)));
  }

  /**
   * Graceful shutdown: health turns 503 at once, the node waits {@code SHUTDOWN_DRAIN_MS} so load balancers
   * notice, closes the HTTP servers letting in-flight requests finish (bounded by {@code SHUTDOWN_TIMEOUT_MS}),
   * then stops the parts in reverse start order. Never fails: problems are logged.
   */
  public Future<Void> shutdown() {
    if (state == State.DRAINING || state == State.STOPPING) {
      return Future.succeededFuture();
    }
    state = State.DRAINING;
    long drain = config.shutdown().drainMs();
    long timeout = config.shutdown().timeoutMs();
    log.info("Draining for {} ms, then closing HTTP servers (timeout {} ms)", drain, timeout);
    Future<Void> chain = drain == 0 ? Future.succeededFuture() : vertx.timer(drain, TimeUnit.MILLISECONDS).mapEmpty();
    chain = chain.compose(v -> {
      state = State.STOPPING;
      return httpDeployment == null ? Future.<Void>succeededFuture() : vertx.undeploy(httpDeployment);
    }).recover(e -> logged("closing the HTTP servers", e));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drain + timeout);
    return chain.compose(v -> stopParts(deadline)).onComplete(v -> log.info("Node {} stopped", nodeId));
  }

  /**
   * Stops the started parts in reverse order. They share what is left until {@code deadlineNanos}, each with at
   * least a second to release what it holds. Never fails: problems are logged.
   */
  private Future<Void> stopParts(long deadlineNanos) {
    List<Part> reverse = new ArrayList<>(started);
    Collections.reverse(reverse);
    started.clear();
    Future<Void> chain = Future.succeededFuture();
    for (Part part : reverse) {
      chain = chain.compose(v -> part.stop()
          .timeout(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())), TimeUnit.MILLISECONDS)
          .<Void>mapEmpty())
        .recover(e -> logged("stopping " + part.name(), e));
    }
    return chain;
  }

  private static Future<Void> logged(String what, Throwable e) {
    log.warn("Shutdown: {} failed: {}", what, e.toString());
    return Future.succeededFuture();
  }

  private void registerNodeChecks() {
    readiness.register("node", CHECK_TIMEOUT_MS, p -> p.complete(state == State.SERVING
      ? Status.OK() : Status.KO(new JsonObject().put("state", state.name().toLowerCase()))));
    Path probe = config.storagePath().resolve(".colony-probe-" + nodeId);
    readiness.register("storage", CHECK_TIMEOUT_MS, p -> vertx.fileSystem()
      .writeFile(probe.toString(), Buffer.buffer(Instant.now().toString()))
      .compose(v -> vertx.fileSystem().delete(probe.toString()))
      .onSuccess(v -> p.complete(Status.OK(new JsonObject().put("path", config.storagePath().toString()))))
      .onFailure(e -> p.complete(Status.KO(new JsonObject()
        .put("path", config.storagePath().toString()).put("error", e.getMessage())))));
  }

  /** The adapter each running part uses. */
  public Map<String, String> adapters() {
    Map<String, String> a = new LinkedHashMap<>();
    for (Part part : parts) {
      a.put(part.name(), part.adapter());
    }
    return a;
  }

  /**
   * What the configuration selects for the parts no running part covers yet (cache, queue, database): parsed and
   * validated, not in use, so not in {@link #adapters()}.
   */
  public Map<String, String> configuredOnly() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("cache", config.cache().store());
    c.put("queue", config.queue().adapter());
    c.put("database", config.db().dialect());
    parts.forEach(p -> c.remove(p.name()));
    return c;
  }

  /** This node's {@code /api/cluster:status}: identity, adapters, uptime and version; never secrets. */
  public JsonObject status() {
    JsonObject s = new JsonObject()
      .put("nodeId", nodeId)
      .put("app", config.appName())
      .put("version", version)
      .put("state", state.name().toLowerCase())
      .put("clustered", config.clustered())
      .put("workerId", null)
      .put("instances", config.http().instances())
      .put("transport", transport())
      .put("port", port)
      .put("startedAt", startedAt.toString())
      .put("uptimeMs", Duration.ofNanos(System.nanoTime() - startedNanos).toMillis())
      .put("adapters", new JsonObject(new LinkedHashMap<>(adapters())))
      .put("configuredNotRunning", new JsonObject(new LinkedHashMap<>(configuredOnly())));
    for (Part part : started) {
      part.status(s);
    }
    return s;
  }

  private String transport() {
    return vertx.isNativeTransportEnabled() ? "native" : "nio";
  }

  public Vertx vertx() {
    return vertx;
  }

  public ColonyConfig config() {
    return config;
  }

  public List<Part> parts() {
    return parts;
  }

  /**
   * The node's part of this type, for parts that use another (the near cache uses signals, the queue uses ids).
   * Parts start in list order, so a part may only use parts listed before it.
   */
  public <T extends Part> Optional<T> part(Class<T> type) {
    return parts.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  public String nodeId() {
    return nodeId;
  }

  public String version() {
    return version;
  }

  public State state() {
    return state;
  }

  /** Readiness checks; parts register theirs here. */
  public HealthChecks readiness() {
    return readiness;
  }

  /** The port the HTTP servers listen on (the real one when {@code APP_PORT=0}). */
  public int port() {
    return port;
  }

  /** Called by the first HTTP verticle that binds. */
  public void bound(int actualPort) {
    port = actualPort;
  }

  private static String newNodeId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "node").replaceAll("[^A-Za-z0-9.-]", "");
    return (host.isEmpty() ? "node" : host) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String implementationVersion() {
    String v = Node.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
