package dev.colony.cache;

import dev.colony.signal.Signal;
import dev.colony.signal.Signals;
import dev.colony.signal.Subscription;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link RedisCache} with a local copy of what this node read, kept no longer than the Redis entry lives. A
 * {@code set}, {@code del} or {@code reset} on any node publishes a signal on {@code cache:<name>}; every other
 * node drops its copy when it arrives (a {@link Signals#RESYNC} drops them all).
 *
 * <p>The race: a read from Redis that is in flight when an invalidation arrives must not install the value it
 * read, which may be the stale one. Each read notes the generation of its key (one of {@link #STRIPES} counters
 * picked by the key's hash, plus one for the whole cache) before it asks Redis, and installs its answer only if
 * neither has moved since. Invalidations bump the counters; a {@code set} or {@code del} on this node bumps them
 * before and after its write.
 */
final class NearCache extends StoreCache {

  private static final int STRIPES = 1024;

  private final RedisCache remote;
  private final MemoryCache local;
  private final Signals signals;
  private final String topic;
  private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
  private final AtomicLong epoch = new AtomicLong();
  private final Subscription changes;
  private final Subscription resync;
  private final Future<Void> ready;

  NearCache(RedisCache remote, int maxEntries, Signals signals) {
    super(remote.name(), remote.options);
    this.remote = remote;
    this.local = new MemoryCache(remote.name(), CacheOptions.DEFAULT, maxEntries);
    this.signals = signals;
    this.topic = "cache:" + remote.name();
    this.changes = signals.subscribe(topic, this::onSignal);
    this.resync = signals.subscribe(Signals.RESYNC, s -> dropAll());
    this.ready = Future.all(changes.ready(), resync.ready()).mapEmpty();
  }

  /** Completes once invalidations are received; until then nothing is kept locally. */
  Future<Void> ready() {
    return ready;
  }

  @Override
  public Future<Object> get(String key) {
    Keys.checkKey(key);
    Object hit = local.peek(key);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    int stripe = stripe(key);
    long generation = generations.get(stripe);
    long epochSeen = epoch.get();
    return remote.getTimed(key).map(t -> {
      if (t.value() != null && ready.succeeded() && generations.get(stripe) == generation
        && epoch.get() == epochSeen) {
        local.put(key, t.value(), t.ttl());
      }
      return t.value();
    });
  }

  @Override
  public Future<Void> set(String key, Object value, Duration ttl) {
    Keys.checkKey(key);
    Keys.checkValue(value);
    drop(key);
    return remote.set(key, value, ttl).compose(v -> {
      drop(key);
      return signals.publish(topic, new JsonObject().put("key", key));
    });
  }

  @Override
  public Future<Void> del(String key) {
    Keys.checkKey(key);
    drop(key);
    return remote.del(key).compose(v -> {
      drop(key);
      return signals.publish(topic, new JsonObject().put("key", key));
    });
  }

  @Override
  public Future<Long> reset() {
    dropAll();
    return remote.reset().compose(n -> {
      dropAll();
      return signals.publish(topic, new JsonObject().put("reset", true)).map(n);
    });
  }

  /** Unsubscribes; the local copies are dropped. */
  Future<Void> close() {
    dropAll();
    return Future.join(changes.unsubscribe(), resync.unsubscribe()).mapEmpty();
  }

  /** The generation a read of {@code key} notes, for tests. */
  long generation(String key) {
    return generations.get(stripe(key)) + epoch.get();
  }

  /** Entries held locally, for tests. */
  boolean holds(String key) {
    return local.peek(key) != null;
  }

  private void onSignal(Signal signal) {
    JsonObject m = signal.message();
    if (m.getBoolean("reset", false)) {
      dropAll();
    } else if (m.getValue("key") instanceof String key && !key.isEmpty()) {
      drop(key);
    } else {
      // Not one of ours: the safe reading is that anything may have changed.
      dropAll();
    }
  }

  private void drop(String key) {
    generations.incrementAndGet(stripe(key));
    local.invalidate(key);
  }

  private void dropAll() {
    epoch.incrementAndGet();
    local.clear();
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
