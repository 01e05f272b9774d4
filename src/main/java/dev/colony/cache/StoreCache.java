package dev.colony.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** {@link Cache#getOrLoad} for every store, on top of its {@code get} and {@code set}. */
abstract class StoreCache implements Cache {

  final String name;
  final CacheOptions options;
  private final SingleFlight flights = new SingleFlight();

  StoreCache(String name, CacheOptions options) {
    this.name = Keys.checkName("cache", name);
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return name;
  }

  /** The TTL a set uses: its own, else the cache's default, else none ({@code null}). */
  final Duration ttl(Duration ttl) {
    return ttl != null ? Keys.checkTtl(ttl) : options.defaultTtl().orElse(null);
  }

  @Override
  public Future<Object> getOrLoad(String key, Duration ttl, Supplier<Future<Object>> loader) {
    Keys.checkKey(key);
    Keys.checkTtl(ttl);
    Objects.requireNonNull(loader, "loader");
    return flights.run(key, () -> get(key).compose(found -> found != null ? Future.succeededFuture(found)
        : load(loader).compose(loaded -> loaded == null ? Future.succeededFuture()
          : set(key, loaded, ttl).map(v -> loaded))))
      .map(Keys::copy);
  }

  private static Future<Object> load(Supplier<Future<Object>> loader) {
    Future<Object> f = loader.get();
    return f == null ? Future.failedFuture(new NullPointerException("cache loader returned a null future")) : f;
  }
}
