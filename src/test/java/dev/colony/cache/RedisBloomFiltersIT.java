package dev.colony.cache;

import dev.colony.redis.RedisLink;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract against the Redis filters as the server selects them at start (the test Redis 7 has no
 * RedisBloom, so the Lua bitmap), plus the key layout and sharing between nodes.
 */
class RedisBloomFiltersIT extends BloomContract {

  private final List<RedisLink> links = new ArrayList<>();
  private final List<Vertx> others = new ArrayList<>();
  private Redis admin;
  private RedisAPI api;

  @Override
  BloomFilters newFilters(Vertx vertx) {
    admin = Redis.createClient(vertx, TestRedis.url());
    api = RedisAPI.api(admin);
    return start(vertx);
  }

  private RedisBloomFilters start(Vertx vertx) {
    RedisLink link = new RedisLink(vertx, RedisLink.options(TestRedis.url()), 5000, "cache");
    links.add(link);
    try {
      return RedisBloomFilters.start(link, APP).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    String cursor = "0";
    do {
      var r = await(api.scan(List.of(cursor, "MATCH", APP + ":bloom:*", "COUNT", "1000")));
      cursor = r.get(0).toString();
      List<String> keys = new ArrayList<>();
      r.get(1).forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        await(api.unlink(keys));
      }
    } while (!cursor.equals("0"));
    for (RedisLink l : links) {
      await(l.close());
    }
    for (Vertx v : others) {
      await(v.close());
    }
    await(admin.close());
  }

  @Test
  void withoutRedisBloomTheLuaBitmapIsSelected() {
    System.out.printf("[RedisBloomFiltersIT] implementation detected: %s%n", filters.implementation());
    assertThat(filters.implementation()).isEqualTo("lua-bitmap");
  }

  @Test
  void theBitmapAtAppBloomNameHasExactlyTheBitsTheSharedHashingPlaces() throws Exception {
    String name = CachesContract.unique("layout");
    await(filters.reserve(name, 0.01, 1000));
    await(filters.add(name, "token-1"));

    BloomShape shape = BloomShape.of(0.01, 1000);
    var meta = await(api.hgetall(APP + ":bloom:" + name + ":meta"));
    assertThat(meta.get("bits").toLong()).isEqualTo(shape.bits());
    assertThat(meta.get("hashes").toInteger()).isEqualTo(shape.hashes());
    assertThat(meta.get("capacity").toLong()).isEqualTo(1000);
    assertThat(meta.get("errorRate").toString()).isEqualTo("0.01");
    assertThat(meta.get("kind").toString()).isEqualTo("bitmap");
    assertThat(await(api.bitcount(List.of(APP + ":bloom:" + name))).toLong())
      .isEqualTo(java.util.Arrays.stream(shape.positions("token-1")).distinct().count());
    for (long p : shape.positions("token-1")) {
      assertThat(await(api.getbit(APP + ":bloom:" + name, Long.toString(p))).toInteger()).isEqualTo(1);
    }
  }

  @Test
  void aFilterWrittenByOneNodeIsReadByAnother() throws Exception {
    String name = CachesContract.unique("shared");
    Vertx otherVertx = Vertx.vertx();
    others.add(otherVertx);
    RedisBloomFilters other = start(otherVertx);
    await(filters.reserve(name, 0.001, 10_000));
    await(filters.addAll(name, BloomContract.items("revoked-", 0, 1000)));

    // The other node never reserved it: it reads the parameters from Redis.
    List<Boolean> found = await(other.existsAll(name, BloomContract.items("revoked-", 0, 1000)));
    boolean fresh = await(other.add(name, "revoked-by-b"));

    assertThat(found).hasSize(1000).containsOnly(true);
    assertThat(fresh).isTrue();
    assertThat(await(filters.exists(name, "revoked-by-b"))).isTrue();
    assertThat(await(other.exists(name, "never-revoked"))).isFalse();
  }

  @Test
  void aFilterDroppedAndReservedAgainWithOtherParametersIsReadAgainByNodesThatKnewTheOldOne() throws Exception {
    String name = CachesContract.unique("reshaped");
    Vertx otherVertx = Vertx.vertx();
    others.add(otherVertx);
    RedisBloomFilters other = start(otherVertx);
    await(filters.reserve(name, 0.01, 1000));
    await(other.add(name, "a"));

    await(api.del(List.of(APP + ":bloom:" + name, APP + ":bloom:" + name + ":meta")));
    assertThat(failure(other.exists(name, "a"))).isInstanceOf(UnknownFilterException.class);
    await(filters.reserve(name, 0.001, 5000));
    await(filters.add(name, "b"));

    assertThat(await(other.existsAll(name, List.of("a", "b")))).containsExactly(false, true);
  }

  @Test
  void aRedisBloomFilterOnARedisWithoutTheModuleFailsClearly() throws Exception {
    String name = CachesContract.unique("module-gone");
    await(api.hset(List.of(APP + ":bloom:" + name + ":meta", "errorRate", "0.01", "capacity", "100", "bits", "959",
      "hashes", "7", "kind", "redisbloom")));

    Throwable e = failure(filters.exists(name, "x"));

    assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining(name)
      .hasMessageContaining("RedisBloom");
  }

  @Test
  void dataLeftAtAFiltersKeyWithoutMetaIsReplacedByAReserve() throws Exception {
    String name = CachesContract.unique("orphan");
    await(api.set(List.of(APP + ":bloom:" + name, "left over")));

    await(filters.reserve(name, 0.01, 100));

    assertThat(await(filters.exists(name, "x"))).isFalse();
    assertThat(await(filters.add(name, "x"))).isTrue();
    assertThat(await(filters.exists(name, "x"))).isTrue();
  }

  @Test
  void aStaleShapeIsRefreshedOnce() throws Exception {
    String name = CachesContract.unique("stale");
    Vertx otherVertx = Vertx.vertx();
    others.add(otherVertx);
    RedisBloomFilters other = start(otherVertx);
    await(filters.reserve(name, 0.01, 1000));
    await(other.add(name, "a"));

    // Behind the other node's back: dropped and reserved again bigger, without it noticing in between.
    await(api.del(List.of(APP + ":bloom:" + name, APP + ":bloom:" + name + ":meta")));
    await(filters.reserve(name, 0.001, 5000));
    await(filters.add(name, "b"));

    assertThat(await(other.existsAll(name, List.of("a", "b")))).containsExactly(false, true);
  }
}
