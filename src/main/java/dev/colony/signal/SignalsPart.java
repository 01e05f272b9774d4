package dev.colony.signal;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

import java.util.Objects;
import java.util.Optional;

/**
 * The node part for sync signals: {@link RedisSignals} when {@code PUBSUB_ADAPTER_REDIS_URL} is set (always in
 * cluster mode), else {@link LocalSignals}. Other parts get the instance from {@link #signals()} once started.
 * With Redis it registers the readiness check {@code signals}: up while connected, or while reconnecting for
 * less than the grace period.
 */
public final class SignalsPart implements Part {

  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Optional<RedisSignalsOptions> redis;
  private volatile Signals signals;

  private SignalsPart(Optional<RedisSignalsOptions> redis) {
    this.redis = redis;
  }

  /** The part the node's configuration selects. */
  public static SignalsPart fromConfig(ColonyConfig config) {
    ColonyConfig.Signals s = config.signals();
    return new SignalsPart(s.redisUrl().map(url -> RedisSignalsOptions.of(url.value(), config.appName(),
      s.streamMaxLen())));
  }

  /** A part with explicit bridge options (tests, tools); empty = local. */
  public static SignalsPart of(Optional<RedisSignalsOptions> redis) {
    return new SignalsPart(Objects.requireNonNull(redis, "redis"));
  }

  @Override
  public String name() {
    return "signals";
  }

  @Override
  public String adapter() {
    return redis.isPresent() ? "redis" : "local";
  }

  /**
   * The node's signals.
   *
   * @throws IllegalStateException before the part has started
   */
  public Signals signals() {
    Signals s = signals;
    if (s == null) {
      throw new IllegalStateException("signals are not started");
    }
    return s;
  }

  @Override
  public Future<?> start(Node node) {
    if (redis.isEmpty()) {
      signals = Signals.local(node.vertx(), node.nodeId());
      return Future.succeededFuture();
    }
    return RedisSignals.start(node.vertx(), node.nodeId(), redis.get()).onSuccess(r -> {
      signals = r;
      node.readiness().register("signals", CHECK_TIMEOUT_MS, p -> p.complete(r.ready()
        ? Status.OK(r.state()) : Status.KO(r.state())));
    });
  }

  @Override
  public Future<?> stop() {
    Signals s = signals;
    return s == null ? Future.succeededFuture() : s.close();
  }

  @Override
  public void status(JsonObject status) {
    Signals s = signals;
    JsonObject json = new JsonObject().put("adapter", adapter());
    if (s instanceof RedisSignals r) {
      json.mergeIn(r.state());
    }
    status.put("signals", json);
  }
}
