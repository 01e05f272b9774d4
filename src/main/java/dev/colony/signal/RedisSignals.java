package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Signals for a cluster: the event bus of each JVM, bridged to the Redis stream {@code <app>:signals} by one
 * {@link SignalBridge} per Vert.x instance. Local delivery ({@code onlySelf}, or not {@code skipSelf}) happens at
 * once on this node; everything else goes through the stream to the other nodes.
 */
public final class RedisSignals extends EventBusSignals {

  private static final String BRIDGES = "colony.signal.bridges";

  private final RedisSignalsOptions options;
  private final SignalBridge bridge;
  private volatile boolean closed;
  private String deployment;

  private RedisSignals(Vertx vertx, String nodeId, RedisSignalsOptions options) {
    super(vertx, nodeId);
    this.options = options;
    this.bridge = new SignalBridge(this, options);
  }

  /**
   * Deploys the bridge and completes once it has connected to Redis. Fails if Redis cannot be reached within
   * {@code startTimeoutMs}, or if this Vert.x instance already runs a bridge for the same stream (there is one
   * per JVM: every verticle instance shares it through the event bus).
   */
  public static Future<RedisSignals> start(Vertx vertx, String nodeId, RedisSignalsOptions options) {
    LocalMap<String, String> bridges = vertx.sharedData().getLocalMap(BRIDGES);
    if (bridges.putIfAbsent(options.streamKey(), nodeId) != null) {
      return Future.failedFuture(new IllegalStateException("a signal bridge for " + options.streamKey()
        + " already runs in this Vert.x instance"));
    }
    RedisSignals signals = new RedisSignals(vertx, nodeId, options);
    return vertx.deployVerticle(signals.bridge)
      .map(id -> {
        signals.deployment = id;
        return signals;
      })
      .onFailure(e -> bridges.remove(options.streamKey()));
  }

  @Override
  public Future<Void> publish(String topic, JsonObject message, PublishOptions publishOptions) {
    Envelope envelope = envelope(topic, message, publishOptions);
    if (closed) {
      return Future.failedFuture(new IllegalStateException("signals closed"));
    }
    if (envelope.onlySelf()) {
      deliverLocally(envelope);
      return Future.succeededFuture();
    }
    if (!envelope.skipSelf()) {
      deliverLocally(envelope);
    }
    return bridge.send(envelope);
  }

  /** Connected to Redis, or reconnecting for less than {@code readinessGraceMs}. */
  public boolean ready() {
    return !closed && bridge.ready();
  }

  /** Connection state and buffer, for readiness and {@code /api/cluster:status}; no secrets. */
  public JsonObject state() {
    return bridge.state().put("closed", closed);
  }

  /** {@link #state()} plus the reader's last id and counts (received, malformed, duplicates). */
  public Future<JsonObject> stats() {
    return bridge.stats();
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return vertx.undeploy(deployment)
      .otherwiseEmpty()
      .onComplete(v -> vertx.sharedData().getLocalMap(BRIDGES).remove(options.streamKey()));
  }
}
