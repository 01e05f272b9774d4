package dev.colony.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link Caches} and {@link Cache}, run against every store by a subclass. */
@ExtendWith(VertxExtension.class)
abstract class CachesContract {

  /** A prefix per run, so runs never see each other's keys in the shared Redis. */
  static final String APP = "tc" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);

  Vertx vertx;
  Caches caches;

  /** A new, independent set of caches of the store, on {@code vertx}. */
  abstract Caches newCaches(Vertx vertx);

  /** Writes keys that belong to no cache of this run (another app's worker-id lease, ...); no-op in memory. */
  void plantForeignKeys() throws Exception {
  }

  /** Asserts the keys of {@link #plantForeignKeys()} are still there. */
  void assertForeignKeysSurvive() throws Exception {
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.caches = newCaches(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(caches.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  static String unique(String what) {
    return what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
  }

  @Test
  void jsonValuesRoundTrip() throws Exception {
    Cache cache = caches.cache(unique("json"));
    JsonObject object = new JsonObject().put("name", "Zoë ☃").put("n", 42).put("x", 1.5).put("ok", true)
      .putNull("nothing").put("list", new JsonArray().add(1).add("two").add(new JsonObject().put("deep", false)));
    JsonArray array = new JsonArray().add("a").add(2).add(new JsonArray());

    await(cache.set("object", object));
    await(cache.set("array", array));
    await(cache.set("string", "plain text with \"quotes\""));
    await(cache.set("number", 12345678901L));
    await(cache.set("boolean", false));

    assertThat(await(cache.get("object"))).isEqualTo(object);
    assertThat(await(cache.get("array"))).isEqualTo(array);
    assertThat(await(cache.get("string"))).isEqualTo("plain text with \"quotes\"");
    assertThat(((Number) await(cache.get("number"))).longValue()).isEqualTo(12345678901L);
    assertThat(await(cache.get("boolean"))).isEqualTo(false);
    assertThat(await(cache.get("absent"))).isNull();
  }

  @Test
  void changingAValueAfterSetOrGetDoesNotChangeTheCachedOne() throws Exception {
    Cache cache = caches.cache(unique("copy"));
    JsonObject value = new JsonObject().put("v", 1);
    await(cache.set("k", value));
    value.put("v", 2);
    ((JsonObject) await(cache.get("k"))).put("v", 3);

    assertThat(await(cache.get("k"))).isEqualTo(new JsonObject().put("v", 1));
  }

  @Test
  void anEntryExpiresAfterItsTtlAndOthersStay() throws Exception {
    Cache cache = caches.cache(unique("ttl"));
    await(cache.set("short", "gone soon", Duration.ofMillis(300)));
    await(cache.set("long", "stays", Duration.ofMinutes(5)));
    await(cache.set("forever", "stays"));

    awaitUntil(() -> await(cache.get("short")) == null);

    assertThat(await(cache.get("long"))).isEqualTo("stays");
    assertThat(await(cache.get("forever"))).isEqualTo("stays");
  }

  @Test
  void theDefaultTtlAppliesToASetWithoutOne() throws Exception {
    Cache cache = caches.cache(unique("defttl"), CacheOptions.DEFAULT.withDefaultTtl(Duration.ofMillis(300)));
    await(cache.set("k", "v"));
    await(cache.set("kept", "v", Duration.ofMinutes(5)));

    awaitUntil(() -> await(cache.get("k")) == null);

    assertThat(await(cache.get("kept"))).isEqualTo("v");
  }

  @Test
  void delRemovesOneKey() throws Exception {
    Cache cache = caches.cache(unique("del"));
    await(cache.set("a", 1));
    await(cache.set("b", 2));

    await(cache.del("a"));
    await(cache.del("never-there"));

    assertThat(await(cache.get("a"))).isNull();
    assertThat(await(cache.get("b"))).isEqualTo(2);
  }

  @Test
  void hundredConcurrentGetOrLoadCallersCauseOneLoad() throws Exception {
    Cache cache = caches.cache(unique("flight"));
    AtomicInteger loads = new AtomicInteger();
    List<Future<Object>> calls = new ArrayList<>();
    Promise<Void> launched = Promise.promise();
    vertx.runOnContext(x -> {
      for (int i = 0; i < 100; i++) {
        calls.add(cache.getOrLoad("k", Duration.ofMinutes(5), () -> {
          loads.incrementAndGet();
          // The load takes a while, so every caller arrives while it runs.
          return vertx.timer(200).map(t -> (Object) new JsonObject().put("loaded", true));
        }));
      }
      launched.complete();
    });
    await(launched.future());
    await(Future.all(calls));

    System.out.printf("[%s] getOrLoad: 100 concurrent callers for one key -> %d load(s)%n",
      getClass().getSimpleName(), loads.get());
    assertThat(loads.get()).isEqualTo(1);
    for (Future<Object> c : calls) {
      assertThat(c.result()).isEqualTo(new JsonObject().put("loaded", true));
    }
    assertThat(await(cache.get("k"))).isEqualTo(new JsonObject().put("loaded", true));
    assertThat(await(cache.getOrLoad("k", null, () -> Future.failedFuture("must not load"))))
      .isEqualTo(new JsonObject().put("loaded", true));
  }

  @Test
  void aFailedLoadReachesEveryWaiterStoresNothingAndTheNextCallLoadsAgain() throws Exception {
    Cache cache = caches.cache(unique("fail"));
    AtomicInteger loads = new AtomicInteger();
    List<Future<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(cache.getOrLoad("k", null, () -> {
        loads.incrementAndGet();
        return vertx.timer(100).compose(t -> Future.failedFuture(new IllegalStateException("database down")));
      }));
    }
    for (Future<Object> c : calls) {
      assertThat(failure(c)).hasMessage("database down");
    }
    assertThat(await(cache.get("k"))).isNull();
    assertThat(failure(cache.getOrLoad("k", null, () -> {
      throw new IllegalStateException("thrown");
    }))).hasMessage("thrown");
    assertThat(await(cache.getOrLoad("k", null, () -> Future.succeededFuture(null)))).isNull();

    assertThat(await(cache.getOrLoad("k", null, () -> Future.succeededFuture("v")))).isEqualTo("v");
    assertThat(await(cache.get("k"))).isEqualTo("v");
  }

  @Test
  void resetRemovesOnlyThisCachesKeys() throws Exception {
    String name = unique("reset");
    Cache cache = caches.cache(name);
    Cache other = caches.cache(name + "x");
    Cache similar = caches.cache(name.substring(0, name.length() - 1));
    for (int i = 0; i < 2500; i++) {
      cache.set("k" + i, i);
    }
    await(cache.set("last", "v"));
    await(other.set("k1", "other"));
    await(similar.set("k1", "similar"));
    plantForeignKeys();

    long removed = await(cache.reset());

    System.out.printf("[%s] reset removed %d keys%n", getClass().getSimpleName(), removed);
    assertThat(removed).isEqualTo(2501);
    assertThat(await(cache.get("k1"))).isNull();
    assertThat(await(cache.get("last"))).isNull();
    assertThat(await(other.get("k1"))).isEqualTo("other");
    assertThat(await(similar.get("k1"))).isEqualTo("similar");
    assertForeignKeysSurvive();
    await(other.reset());
    await(similar.reset());
  }

  @Test
  void theSameNameAnswersTheSameCache() {
    String name = unique("same");
    Cache a = caches.cache(name);
    assertThat(caches.cache(name)).isSameAs(a);
    assertThat(caches.cache(name, CacheOptions.DEFAULT)).isSameAs(a);
    assertThatThrownBy(() -> caches.cache(name, CacheOptions.DEFAULT.withDefaultTtl(Duration.ofSeconds(1))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
  }

  @Test
  void badArgumentsThrowAtTheCall() {
    Cache cache = caches.cache(unique("bad"));
    assertThatThrownBy(() -> caches.cache("has:colon")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("has:colon");
    assertThatThrownBy(() -> caches.cache("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> caches.cache("a*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.get("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.set("k", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.set("k", new Object())).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> cache.set("k", "v", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.set("k", "v", Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.getOrLoad("k", Duration.ZERO, () -> Future.succeededFuture(1)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.del("")).isInstanceOf(IllegalArgumentException.class);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} every 50 ms until it holds; fails after 30 s. */
  static void awaitUntil(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
