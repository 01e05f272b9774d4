package dev.colony.cache;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import dev.colony.signal.SignalsPart;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

import java.util.Optional;

/**
 * The node's caches and Bloom filters: in memory when {@code CACHE_DEFAULT_STORE=memory}, in the Redis at
 * {@code CACHE_REDIS_URL} (else {@code REDIS_URL}) when {@code redis}. With Redis, start fails if Redis does not
 * answer, detects RedisBloom, and registers the {@code cache} readiness check (a PING with a deadline); near caches
 * are invalidated through the node's sync signals. Stop closes the connection.
 */
public final class CachePart implements Part {

  private static final long CHECK_TIMEOUT_MS = 2000;

  private final ColonyConfig.Cache config;
  private final String app;
  private volatile Caches caches;
  private volatile BloomFilters blooms;

  private CachePart(String app, ColonyConfig.Cache config) {
    this.app = app;
    this.config = config;
  }

  /** The part the configuration selects; nothing connects before {@link #start(Node)}. */
  public static CachePart fromConfig(ColonyConfig config) {
    return new CachePart(config.appName(), config.cache());
  }

  @Override
  public String name() {
    return "cache";
  }

  @Override
  public String adapter() {
    return config.store();
  }

  /**
   * The node's caches, shared by every verticle.
   *
   * @throws IllegalStateException before the part has started
   */
  public Caches caches() {
    Caches c = caches;
    if (c == null) {
      throw new IllegalStateException("cache is not started");
    }
    return c;
  }

  /**
   * The node's Bloom filters, shared by every verticle (and, on Redis, by every node).
   *
   * @throws IllegalStateException before the part has started
   */
  public BloomFilters bloomFilters() {
    BloomFilters b = blooms;
    if (b == null) {
      throw new IllegalStateException("cache is not started");
    }
    return b;
  }

  @Override
  public Future<?> start(Node node) {
    if (!config.store().equals("redis")) {
      caches = Caches.memory(config.memoryMax());
      blooms = BloomFilters.memory();
      return Future.succeededFuture();
    }
    String url = config.redisUrl().orElseThrow(() -> new IllegalStateException("CACHE_REDIS_URL is not set")).value();
    RedisCaches redis = Caches.redis(node.vertx(), app, url, config.memoryMax(),
      node.part(SignalsPart.class).map(SignalsPart::signals));
    node.readiness().register("cache", CHECK_TIMEOUT_MS, p -> redis.ping()
      .onSuccess(v -> p.complete(Status.OK()))
      .onFailure(e -> p.complete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    return redis.ping()
      .compose(v -> redis.bloomFilters())
      .onSuccess(b -> {
        caches = redis;
        blooms = b;
      })
      .onFailure(e -> redis.close());
  }

  @Override
  public Future<?> stop() {
    Caches c = caches;
    return c == null ? Future.succeededFuture() : c.close();
  }

  @Override
  public void status(JsonObject status) {
    BloomFilters b = blooms;
    status.put("cache", new JsonObject().put("store", config.store())
      .put("bloom", b == null ? null : b.implementation()));
  }

  /** For tests: the store's name and the Bloom implementation once started. */
  Optional<String> bloomImplementation() {
    return Optional.ofNullable(blooms).map(BloomFilters::implementation);
  }
}
