package dev.colony.cache;

import dev.colony.signal.PublishOptions;
import dev.colony.signal.RedisSignals;
import dev.colony.signal.RedisSignalsOptions;
import dev.colony.signal.Signals;
import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.colony.cache.CachesContract.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Near caches on two nodes (each its own Vert.x, signal bridge and cache connection) on the shared Redis: what one
 * node changes, the other stops serving from its copy.
 */
class NearCacheIT {

  private static final String APP = CachesContract.APP + "near";

  private Node a;
  private Node b;

  record Node(Vertx vertx, RedisSignals signals, RedisCaches caches) {
    static Node start(String id, String url) throws Exception {
      Vertx vertx = Vertx.vertx();
      RedisSignals signals = RedisSignals.start(vertx, id, RedisSignalsOptions.of(url, APP, 10_000))
        .await(30, TimeUnit.SECONDS);
      return new Node(vertx, signals, Caches.redis(vertx, APP, url, 1000, Optional.of(signals)));
    }

    NearCache near(String name) throws Exception {
      NearCache c = (NearCache) caches.cache(name, CacheOptions.DEFAULT.withNear());
      caches.ready(name).await(30, TimeUnit.SECONDS);
      return c;
    }

    void close() throws Exception {
      caches.close().await(30, TimeUnit.SECONDS);
      signals.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    a = Node.start("node-a", TestRedis.url());
    b = Node.start("node-b", TestRedis.url());
  }

  @AfterEach
  void tearDown() throws Exception {
    Redis r = Redis.createClient(a.vertx, TestRedis.url());
    RedisAPI.api(r).del(List.of(APP + ":signals")).await(30, TimeUnit.SECONDS);
    r.close().await(30, TimeUnit.SECONDS);
    a.close();
    b.close();
  }

  /**
   * Reads {@code key} until the cache keeps a copy: the signal of the write before may reach this node after a read
   * has started, and then that read rightly keeps nothing.
   */
  static void readUntilHeld(NearCache cache, String key) throws Exception {
    awaitUntil(() -> {
      await(cache.get(key));
      return cache.holds(key);
    });
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  @Test
  void aSetOnARemovesTheStaleCopyOnB() throws Exception {
    String name = CachesContract.unique("near-set");
    NearCache onA = a.near(name);
    NearCache onB = b.near(name);
    await(onA.set("k", new JsonObject().put("v", 1)));
    assertThat(await(onB.get("k"))).isEqualTo(new JsonObject().put("v", 1));
    readUntilHeld(onB, "k");

    long start = System.nanoTime();
    await(onA.set("k", new JsonObject().put("v", 2)));
    awaitUntil(() -> !onB.holds("k"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    System.out.printf("[NearCacheIT] B dropped its stale copy %d ms after A's set returned%n", ms);
    assertThat(await(onB.get("k"))).isEqualTo(new JsonObject().put("v", 2));
    assertThat(onB.holds("k")).isTrue();
    await(onA.reset());
  }

  @Test
  void aDelOrAResetOnARemovesTheCopiesOnB() throws Exception {
    String name = CachesContract.unique("near-del");
    NearCache onA = a.near(name);
    NearCache onB = b.near(name);
    await(onA.set("k1", 1));
    await(onA.set("k2", 2));
    readUntilHeld(onB, "k1");
    readUntilHeld(onB, "k2");

    await(onA.del("k1"));
    awaitUntil(() -> !onB.holds("k1"));
    assertThat(await(onB.get("k1"))).isNull();
    assertThat(onB.holds("k2")).isTrue();

    await(onA.reset());
    awaitUntil(() -> !onB.holds("k2"));
    assertThat(await(onB.get("k2"))).isNull();
  }

  @Test
  void aResyncDropsEveryCopy() throws Exception {
    String name = CachesContract.unique("near-resync");
    NearCache onB = b.near(name);
    await(onB.set("k", "v"));
    readUntilHeld(onB, "k");

    await(b.signals.publish(Signals.RESYNC, new JsonObject().put("reason", "test"), PublishOptions.ONLY_SELF));

    awaitUntil(() -> !onB.holds("k"));
    await(onB.reset());
  }

  @Test
  void aNearCacheWithoutSignalsIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    Caches plain = Caches.redis(vertx, APP, TestRedis.url(), 10, Optional.empty());
    try {
      assertThatThrownBy(() -> plain.cache("n", CacheOptions.DEFAULT.withNear()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("signals");
    } finally {
      await(plain.close());
      await(vertx.close());
    }
  }

  @Test
  void aReadInFlightWhenAnInvalidationArrivesDoesNotInstallWhatItRead() throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      Vertx vertx = Vertx.vertx();
      Signals signals = Signals.local(vertx, "solo");
      RedisCaches caches = Caches.redis(vertx, APP, server.url(), 100, Optional.of(signals));
      Redis adminClient = Redis.createClient(vertx, server.url());
      RedisAPI admin = RedisAPI.api(adminClient);
      try {
        NearCache cache = (NearCache) caches.cache("race", CacheOptions.DEFAULT.withNear());
        await(caches.ready("race"));
        await(cache.set("k", "old"));
        long before = cache.generation("k");

        // Redis holds every command for a while: the read is in flight when the invalidation arrives.
        await(admin.client(List.of("PAUSE", "1500", "ALL")));
        Future<Object> read = cache.get("k");
        await(signals.publish("cache:race", new JsonObject().put("key", "k"), PublishOptions.ONLY_SELF));
        awaitUntil(() -> cache.generation("k") != before);
        assertThat(read.isComplete()).as("the read is still waiting for Redis").isFalse();

        assertThat(await(read)).isEqualTo("old");
        assertThat(cache.holds("k")).as("a read overtaken by an invalidation keeps no copy").isFalse();
        assertThat(await(cache.get("k"))).isEqualTo("old");
        assertThat(cache.holds("k")).as("the next read keeps one").isTrue();
      } finally {
        await(caches.close());
        await(adminClient.close());
        await(vertx.close());
      }
    }
  }
}
