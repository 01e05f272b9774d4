package dev.colony.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A named cache of JSON values. A value is what {@link io.vertx.core.json.Json} encodes: a
 * {@link io.vertx.core.json.JsonObject}, a {@link io.vertx.core.json.JsonArray}, a {@link String}, a
 * {@link Number} or a {@link Boolean}. Callers get their own copy: changing a value after {@code set} or after
 * {@code get} does not change the cached one. {@code null} is not a value: {@code get} answers {@code null} for a
 * missing key.
 *
 * <p>Keys are non-empty strings. A cache is shared by every verticle of the node; it is safe from any thread.
 * Runtime failures (Redis unreachable, a deadline passed, a stored value that is not JSON) are failed futures;
 * bad arguments throw at once.
 */
public interface Cache {

  /** The cache's name, unique within its {@link Caches}. */
  String name();

  /**
   * The value of {@code key}, or {@code null} when absent or expired. Fails with {@link CacheValueException}
   * when the stored value is not valid JSON (written by something else).
   *
   * @throws IllegalArgumentException if the key is null or empty
   */
  Future<Object> get(String key);

  /**
   * Stores {@code value} under {@code key} with the cache's default TTL (none unless its options set one).
   *
   * @throws IllegalArgumentException if the key is empty or the value is null or not a JSON value
   */
  default Future<Void> set(String key, Object value) {
    return set(key, value, null);
  }

  /**
   * Stores {@code value} under {@code key}, expiring after {@code ttl}; {@code null} means the cache's default
   * TTL.
   *
   * @throws IllegalArgumentException if the key is empty, the value is null or not a JSON value, or the TTL is
   *                                  under 1 ms
   */
  Future<Void> set(String key, Object value, Duration ttl);

  /**
   * Removes {@code key}; succeeds whether it was there or not.
   *
   * @throws IllegalArgumentException if the key is null or empty
   */
  Future<Void> del(String key);

  /**
   * The value of {@code key}; when it is absent, the value {@code loader} produces, which is stored with
   * {@code ttl} ({@code null}: the default TTL) before it is returned. While a lookup-and-load of a key is under
   * way on this node, other callers for that key share it instead of loading again (one load per key per node at
   * a time). A loader that fails, throws or answers {@code null} stores nothing: its callers get its failure or
   * {@code null}.
   *
   * @throws IllegalArgumentException if the key is empty or the TTL is under 1 ms
   * @throws NullPointerException     if the loader is null
   */
  Future<Object> getOrLoad(String key, Duration ttl, Supplier<Future<Object>> loader);

  /**
   * Removes every key of this cache and nothing else: other caches, other applications and other parts of the
   * node keep theirs. Answers how many keys were removed (on the memory store an estimate that may count entries
   * that had expired but were not yet cleaned up).
   */
  Future<Long> reset();
}
