package dev.colony.cache;

import io.vertx.core.Future;

import java.util.List;

/**
 * Named Bloom filters: a set that answers "maybe present" or "certainly absent". An added item is always found
 * (no false negatives); an item never added is found with about the filter's error rate once it holds its
 * capacity, more beyond it. Items are strings. Safe from any thread.
 *
 * <p>Bad arguments throw at once ({@link IllegalArgumentException}); runtime failures are failed futures: a name
 * never reserved fails with {@link UnknownFilterException}, a reserve that contradicts an existing filter with
 * {@link FilterConflictException}.
 */
public interface BloomFilters {

  /** This node's filters in memory: each node has its own. */
  static BloomFilters memory() {
    return new MemoryBloomFilters();
  }

  /** {@code memory}, {@code redisbloom} (the server's BF.* commands) or {@code lua-bitmap} (Redis 7 fallback). */
  String implementation();

  /**
   * Creates filter {@code name} for {@code capacity} items at false-positive rate {@code errorRate}. Reserving an
   * existing filter with the same parameters succeeds and changes nothing; with other parameters it fails with
   * {@link FilterConflictException}.
   *
   * @throws IllegalArgumentException if the name is not 1-100 letters, digits, {@code _ . -}, the error rate is
   *                                  not strictly between 0 and 1, the capacity is under 1, or the filter would
   *                                  need more than 2^32 bits
   */
  Future<Void> reserve(String name, double errorRate, long capacity);

  /**
   * Adds {@code item}; answers {@code true} if it was certainly not there before.
   *
   * @throws IllegalArgumentException if the name is invalid or the item is null
   */
  Future<Boolean> add(String name, String item);

  /**
   * Whether {@code item} may have been added ({@code false}: certainly not).
   *
   * @throws IllegalArgumentException if the name is invalid or the item is null
   */
  Future<Boolean> exists(String name, String item);

  /**
   * {@link #add} for each item, in one call to the store; answers in the items' order.
   *
   * @throws IllegalArgumentException if the name is invalid, or the list or one of its items is null
   */
  Future<List<Boolean>> addAll(String name, List<String> items);

  /**
   * {@link #exists} for each item, in one call to the store; answers in the items' order.
   *
   * @throws IllegalArgumentException if the name is invalid, or the list or one of its items is null
   */
  Future<List<Boolean>> existsAll(String name, List<String> items);
}
