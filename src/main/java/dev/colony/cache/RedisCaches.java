package dev.colony.cache;

import dev.colony.redis.RedisLink;
import dev.colony.signal.Signals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Named caches in Redis (see {@link RedisCache}), optionally with a near cache (see {@link NearCache}). */
public final class RedisCaches implements Caches {

  private static final long CALL_TIMEOUT_MS = 2000;

  private final RedisLink link;
  private final String app;
  private final int nearMaxEntries;
  private final Optional<Signals> signals;
  private final ConcurrentHashMap<String, StoreCache> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RedisCaches(RedisLink link, String app, int nearMaxEntries, Optional<Signals> signals) {
    this.link = link;
    this.app = app;
    this.nearMaxEntries = nearMaxEntries;
    this.signals = signals;
  }

  /**
   * Caches of application {@code app} through a client with {@code options}. See
   * {@link Caches#redis(Vertx, String, String, int, Optional)}.
   *
   * @throws IllegalArgumentException if {@code app} is not a valid name or {@code nearMaxEntries} is under 1
   */
  static RedisCaches create(Vertx vertx, String app, RedisOptions options, int nearMaxEntries,
                            Optional<Signals> signals) {
    Keys.checkName("app", app);
    if (nearMaxEntries < 1) {
      throw new IllegalArgumentException("nearMaxEntries must be at least 1, got " + nearMaxEntries);
    }
    return new RedisCaches(new RedisLink(vertx, options, CALL_TIMEOUT_MS, "cache"), app, nearMaxEntries,
      Objects.requireNonNull(signals, "signals"));
  }

  /**
   * The Bloom filters of the same application on the same connection: RedisBloom's if the server has it (asked
   * now), else the Lua bitmap. Fails if Redis does not answer.
   */
  public Future<BloomFilters> bloomFilters() {
    return RedisBloomFilters.start(link, app).map(b -> b);
  }

  /** PING with the call deadline; for the readiness check. */
  public Future<Void> ping() {
    return link.ping();
  }

  @Override
  public String store() {
    return "redis";
  }

  @Override
  public Cache cache(String name, CacheOptions options) {
    Keys.checkName("cache", name);
    Objects.requireNonNull(options, "options");
    StoreCache c = caches.computeIfAbsent(name, n -> create(n, options));
    if (!c.options.equals(options)) {
      throw new IllegalArgumentException("cache " + name + " exists with options " + c.options + ", not " + options);
    }
    return c;
  }

  @Override
  public Cache cache(String name) {
    Keys.checkName("cache", name);
    return caches.computeIfAbsent(name, n -> create(n, CacheOptions.DEFAULT));
  }

  /**
   * Completes when the near cache {@code name} receives invalidations (at once for a plain cache); until then it
   * reads through to Redis without keeping copies.
   */
  public Future<Void> ready(String name) {
    return caches.get(name) instanceof NearCache n ? n.ready() : Future.succeededFuture();
  }

  private StoreCache create(String name, CacheOptions options) {
    if (closed) {
      throw new IllegalStateException("caches are closed");
    }
    RedisCache remote = new RedisCache(link, app, name, options);
    if (!options.near()) {
      return remote;
    }
    Signals s = signals.orElseThrow(() -> new IllegalStateException("near cache " + name + " needs sync signals"));
    return new NearCache(remote, nearMaxEntries, s);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> nears = new ArrayList<>();
    caches.values().forEach(c -> {
      if (c instanceof NearCache n) {
        nears.add(n.close());
      }
    });
    return Future.join(nears).otherwiseEmpty().compose(v -> link.close());
  }
}
