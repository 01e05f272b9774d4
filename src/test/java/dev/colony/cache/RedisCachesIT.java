package dev.colony.cache;

import dev.colony.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract against the Redis store on the shared test Redis, plus what only Redis can show. */
class RedisCachesIT extends CachesContract {

  private static final String OTHER_APP = APP + "other";
  private final List<String> foreignKeys = List.of(OTHER_APP + ":worker-id:0", OTHER_APP + ":cache:x:k1",
    APP + ":worker-id:0", APP + ":lock:k1", APP + ":cachex:k1");
  private Redis admin;
  private RedisAPI api;

  @Override
  Caches newCaches(Vertx vertx) {
    admin = Redis.createClient(vertx, TestRedis.url());
    api = RedisAPI.api(admin);
    return Caches.redis(vertx, APP, TestRedis.url(), 1000, Optional.empty());
  }

  @AfterEach
  void deleteForeignKeys() throws Exception {
    await(api.del(foreignKeys));
    // Whatever the tests left under this run's prefix.
    String cursor = "0";
    do {
      var r = await(api.scan(List.of(cursor, "MATCH", APP + ":cache:*", "COUNT", "1000")));
      cursor = r.get(0).toString();
      List<String> keys = new ArrayList<>();
      r.get(1).forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        await(api.unlink(keys));
      }
    } while (!cursor.equals("0"));
    await(admin.close());
  }

  @Override
  void plantForeignKeys() throws Exception {
    for (String k : foreignKeys) {
      await(api.set(List.of(k, "lease-token")));
    }
  }

  @Override
  void assertForeignKeysSurvive() throws Exception {
    for (String k : foreignKeys) {
      assertThat(await(api.get(k))).as(k).isNotNull();
      assertThat(await(api.get(k)).toString()).as(k).isEqualTo("lease-token");
    }
  }

  @Test
  void aKeyIsStoredAsJsonUnderAppCacheNameKeyWithItsTtl() throws Exception {
    String name = unique("layout");
    Cache cache = caches.cache(name);
    await(cache.set("user:1", new JsonObject().put("id", 1), Duration.ofSeconds(60)));
    await(cache.set("plain", "x"));

    String key = APP + ":cache:" + name + ":user:1";
    assertThat(await(api.get(key)).toString()).isEqualTo("{\"id\":1}");
    assertThat(await(api.pttl(key)).toLong()).isBetween(1L, 60_000L);
    assertThat(await(api.pttl(APP + ":cache:" + name + ":plain")).toLong()).isEqualTo(-1L);
    await(cache.reset());
  }

  @Test
  void aValueThatIsNotJsonFailsTheGetByNameAndTheCacheKeepsWorking() throws Exception {
    String name = unique("garbage");
    Cache cache = caches.cache(name);
    await(api.set(List.of(APP + ":cache:" + name + ":bad", "{not json")));

    Throwable e = failure(cache.get("bad"));
    Throwable viaLoad = failure(cache.getOrLoad("bad", null, () -> Future.succeededFuture("never")));

    System.out.printf("[RedisCachesIT] non-JSON value: %s%n", e.getMessage());
    assertThat(e).isInstanceOf(CacheValueException.class).hasMessageContaining(name).hasMessageContaining("\"bad\"");
    assertThat(viaLoad).isInstanceOf(CacheValueException.class);
    await(cache.set("good", 1));
    assertThat(await(cache.get("good"))).isEqualTo(1);
    await(cache.del("bad"));
    assertThat(await(cache.get("bad"))).isNull();
    await(cache.reset());
  }

  @Test
  void twoNodesWithHundredCallersEachLoadAtMostOncePerNode() throws Exception {
    String name = unique("nodes");
    Vertx other = Vertx.vertx();
    Caches otherCaches = Caches.redis(other, APP, TestRedis.url(), 1000, Optional.empty());
    try {
      AtomicInteger loadsA = new AtomicInteger();
      AtomicInteger loadsB = new AtomicInteger();
      List<Future<Object>> calls = new ArrayList<>();
      Promise<Void> a = Promise.promise();
      Promise<Void> b = Promise.promise();
      launch(vertx, caches.cache(name), loadsA, calls, a);
      launch(other, otherCaches.cache(name), loadsB, calls, b);
      await(Future.all(a.future(), b.future()));
      await(Future.all(List.copyOf(calls)));

      System.out.printf("[RedisCachesIT] getOrLoad: 2 nodes x 100 concurrent callers -> loads A=%d B=%d%n",
        loadsA.get(), loadsB.get());
      assertThat(loadsA.get()).isLessThanOrEqualTo(1);
      assertThat(loadsB.get()).isLessThanOrEqualTo(1);
      assertThat(loadsA.get() + loadsB.get()).isGreaterThanOrEqualTo(1);
      await(caches.cache(name).reset());
    } finally {
      await(otherCaches.close());
      await(other.close());
    }
  }

  private static void launch(Vertx vertx, Cache cache, AtomicInteger loads, List<Future<Object>> calls,
                             Promise<Void> launched) {
    vertx.runOnContext(x -> {
      List<Future<Object>> mine = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        mine.add(cache.getOrLoad("k", Duration.ofMinutes(1), () -> {
          loads.incrementAndGet();
          return vertx.timer(200).map(t -> (Object) "loaded");
        }));
      }
      synchronized (calls) {
        calls.addAll(mine);
      }
      launched.complete();
    });
  }
}
