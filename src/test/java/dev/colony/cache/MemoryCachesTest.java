package dev.colony.cache;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against the memory store, plus its size bound. */
class MemoryCachesTest extends CachesContract {

  @Override
  Caches newCaches(Vertx vertx) {
    return Caches.memory(3000);
  }

  @Test
  void aCacheHoldsAtMostMaxEntries() throws Exception {
    Caches small = Caches.memory(100);
    MemoryCache cache = (MemoryCache) small.cache("bounded");
    for (int i = 0; i < 1000; i++) {
      await(cache.set("k" + i, i));
    }
    assertThat(cache.estimatedSize()).isLessThanOrEqualTo(100);
    int present = 0;
    for (int i = 0; i < 1000; i++) {
      if (await(cache.get("k" + i)) != null) {
        present++;
      }
    }
    assertThat(present).isLessThanOrEqualTo(100);
  }
}
