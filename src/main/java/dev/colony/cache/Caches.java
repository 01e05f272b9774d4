package dev.colony.cache;

import dev.colony.redis.RedisLink;
import dev.colony.signal.Signals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Optional;

/**
 * The named caches of a node. {@link #cache(String, CacheOptions)} answers the same instance for the same name,
 * so one load per key per node holds across every verticle.
 */
public interface Caches {

  /**
   * Caches in this JVM, at most {@code maxEntries} entries each.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is under 1
   */
  static Caches memory(int maxEntries) {
    return new MemoryCaches(maxEntries);
  }

  /**
   * Caches in the Redis at {@code url}, keys {@code <app>:cache:<name>:<key>}, a 2 s deadline per call; near
   * caches keep {@code nearMaxEntries} entries each and are invalidated through {@code signals} (without signals,
   * asking for a near cache fails). Nothing connects before the first call.
   *
   * @throws IllegalArgumentException if {@code app} or {@code url} is empty
   */
  static RedisCaches redis(Vertx vertx, String app, String url, int nearMaxEntries, Optional<Signals> signals) {
    return RedisCaches.create(vertx, app, RedisLink.options(url), nearMaxEntries, signals);
  }

  /** {@code memory} or {@code redis}. */
  String store();

  /**
   * The cache called {@code name}, created on first use with {@code options}.
   *
   * @throws IllegalArgumentException if the name is not 1-100 letters, digits, {@code _ . -}, or the cache exists
   *                                  with other options
   * @throws IllegalStateException    if a near cache is asked for without signals, or after {@link #close()}
   */
  Cache cache(String name, CacheOptions options);

  /** {@link #cache(String, CacheOptions)} with the default options (or the options it was created with). */
  Cache cache(String name);

  /** Closes the store's connections; caches fail afterwards. Never fails. */
  Future<Void> close();
}
