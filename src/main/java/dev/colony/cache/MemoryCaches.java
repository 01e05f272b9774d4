package dev.colony.cache;

import io.vertx.core.Future;

import java.util.concurrent.ConcurrentHashMap;

/** Named {@link MemoryCache}s. */
final class MemoryCaches implements Caches {

  private final int maxEntries;
  private final ConcurrentHashMap<String, MemoryCache> caches = new ConcurrentHashMap<>();

  MemoryCaches(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public String store() {
    return "memory";
  }

  @Override
  public Cache cache(String name, CacheOptions options) {
    Keys.checkName("cache", name);
    MemoryCache c = caches.computeIfAbsent(name, n -> new MemoryCache(n, options, maxEntries));
    if (!c.options.equals(options)) {
      throw new IllegalArgumentException("cache " + name + " exists with options " + c.options + ", not " + options);
    }
    return c;
  }

  @Override
  public Cache cache(String name) {
    Keys.checkName("cache", name);
    return caches.computeIfAbsent(name, n -> new MemoryCache(n, CacheOptions.DEFAULT, maxEntries));
  }

  @Override
  public Future<Void> close() {
    caches.values().forEach(MemoryCache::clear);
    return Future.succeededFuture();
  }
}
