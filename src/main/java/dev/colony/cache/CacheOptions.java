package dev.colony.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * How a named cache behaves.
 *
 * @param defaultTtl TTL of a {@code set} without one; empty = entries do not expire
 * @param near       on the Redis store, keep a local copy of what this node reads in front of Redis, dropped on
 *                   every node by a sync signal on {@code set}, {@code del} and {@code reset}; the memory store
 *                   is local already and ignores it
 */
public record CacheOptions(Optional<Duration> defaultTtl, boolean near) {

  /** No default TTL, no near cache. */
  public static final CacheOptions DEFAULT = new CacheOptions(Optional.empty(), false);

  /**
   * @throws IllegalArgumentException if the default TTL is under 1 ms
   */
  public CacheOptions {
    if (defaultTtl == null) {
      throw new IllegalArgumentException("defaultTtl must not be null (use Optional.empty())");
    }
    defaultTtl.ifPresent(t -> Keys.checkTtl(t));
  }

  /** These options with a near cache. */
  public CacheOptions withNear() {
    return new CacheOptions(defaultTtl, true);
  }

  /** These options with a default TTL. */
  public CacheOptions withDefaultTtl(Duration ttl) {
    return new CacheOptions(Optional.of(ttl), near);
  }
}
