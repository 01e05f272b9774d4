package dev.colony.cache;

import io.vertx.core.Vertx;

/** The contract against the in-memory bit set. */
class MemoryBloomFiltersTest extends BloomContract {

  @Override
  BloomFilters newFilters(Vertx vertx) {
    return BloomFilters.memory();
  }
}
