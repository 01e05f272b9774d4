package dev.colony.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * A cache in this JVM on Caffeine: at most {@code maxEntries} entries (least recently and frequently used go
 * first), each with its own TTL. Also the near copy in front of a {@link RedisCache}.
 */
final class MemoryCache extends StoreCache {

  /** A stored value (private copy) and how long it lives from its write, in nanoseconds. */
  private record Entry(Object value, long ttlNanos) {
  }

  private static final long FOREVER = Long.MAX_VALUE;

  private final com.github.benmanes.caffeine.cache.Cache<String, Entry> store;

  MemoryCache(String name, CacheOptions options, int maxEntries) {
    super(name, options);
    this.store = Caffeine.newBuilder()
      .maximumSize(maxEntries)
      .expireAfter(new Expiry<String, Entry>() {
        @Override
        public long expireAfterCreate(String key, Entry entry, long now) {
          return entry.ttlNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long now, long currentDuration) {
          return entry.ttlNanos;
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long now, long currentDuration) {
          return currentDuration;
        }
      })
      // Maintenance on the calling thread: no pool threads, evictions are done when the call returns.
      .executor(Runnable::run)
      .build();
  }

  @Override
  public Future<Object> get(String key) {
    return Future.succeededFuture(peek(Keys.checkKey(key)));
  }

  /** The value of {@code key} (a private copy) or {@code null}, without a future. */
  Object peek(String key) {
    Entry e = store.getIfPresent(key);
    return e == null ? null : Keys.copy(e.value);
  }

  @Override
  public Future<Void> set(String key, Object value, Duration ttl) {
    put(Keys.checkKey(key), value, ttl(ttl));
    return Future.succeededFuture();
  }

  /** Stores a private copy of {@code value}; {@code ttl} {@code null} = no expiry. */
  void put(String key, Object value, Duration ttl) {
    Object copy;
    try {
      copy = Keys.copy(Keys.checkValue(value));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("cache value is not a JSON value: " + e.getMessage(), e);
    }
    store.put(key, new Entry(copy, ttl == null ? FOREVER : ttl.toNanos()));
  }

  @Override
  public Future<Void> del(String key) {
    invalidate(Keys.checkKey(key));
    return Future.succeededFuture();
  }

  void invalidate(String key) {
    store.invalidate(key);
  }

  @Override
  public Future<Long> reset() {
    return Future.succeededFuture(clear());
  }

  /** Drops every entry; answers about how many there were. */
  long clear() {
    long n = store.estimatedSize();
    store.invalidateAll();
    return n;
  }

  /** Entries held, counting expired ones not yet cleaned up. */
  long estimatedSize() {
    return store.estimatedSize();
  }
}
