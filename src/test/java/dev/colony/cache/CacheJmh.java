package dev.colony.cache;

import dev.colony.signal.Signals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hits per second on the memory store and on a near cache (local copies in front of Redis), and Bloom
 * {@code exists} per second on the Lua-bitmap fallback, one call at a time per thread. Values are small JSON
 * objects, copied on every hit as the cache contract says. Redis: {@code BENCH_REDIS_URL}, else
 * 127.0.0.1:6379. Run by {@code bench/cache-jmh.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CacheJmh {

  private static final int KEYS = 1000;

  Vertx vertx;
  Cache memory;
  Cache near;
  Caches memoryCaches;
  RedisCaches redisCaches;
  BloomFilters blooms;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = System.getenv().getOrDefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379");
    vertx = Vertx.vertx();
    memoryCaches = Caches.memory(2 * KEYS);
    memory = memoryCaches.cache("jmh");
    redisCaches = Caches.redis(vertx, "colony-jmh", url, 2 * KEYS, Optional.of(Signals.local(vertx, "jmh")));
    near = redisCaches.cache("jmh", CacheOptions.DEFAULT.withNear());
    redisCaches.ready("jmh").await(10, TimeUnit.SECONDS);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      JsonObject v = new JsonObject().put("id", i).put("name", "user-" + i).put("roles", "admin,member");
      memory.set(key(i), v).await(10, TimeUnit.SECONDS);
      near.set(key(i), v).await(10, TimeUnit.SECONDS);
      near.get(key(i)).await(10, TimeUnit.SECONDS);
      items.add(key(i));
    }
    blooms = redisCaches.bloomFilters().await(10, TimeUnit.SECONDS);
    if (!blooms.implementation().equals("lua-bitmap")) {
      throw new IllegalStateException("this Redis has RedisBloom; the fallback bench needs a Redis without it");
    }
    blooms.reserve("jmh", 0.001, 1_000_000).await(10, TimeUnit.SECONDS);
    blooms.addAll("jmh", items).await(30, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    near.reset().await(10, TimeUnit.SECONDS);
    redisCaches.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String key(int i) {
    return "key:" + i;
  }

  private static String randomKey() {
    return key(ThreadLocalRandom.current().nextInt(KEYS));
  }

  @Benchmark
  public Object memoryHit() {
    return memory.get(randomKey()).result();
  }

  @Benchmark
  public Object nearHit() throws Exception {
    Future<Object> f = near.get(randomKey());
    // A local hit answers at once; anything else goes to Redis and is waited for (counted all the same).
    return f.isComplete() ? f.result() : f.await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public Object bloomExistsLuaBitmap() throws Exception {
    return blooms.exists("jmh", randomKey()).await(10, TimeUnit.SECONDS);
  }
}
