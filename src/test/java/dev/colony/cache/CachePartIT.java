package dev.colony.cache;

import dev.colony.Node;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import dev.colony.signal.SignalsPart;
import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The part inside a real node: store chosen by the configuration, readiness check, status, bad input, stop. */
class CachePartIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final String app = CachesContract.APP + "part";

  @AfterEach
  void close() throws Exception {
    Redis redis = Redis.createClient(vertx, TestRedis.url());
    redis.send(Request.cmd(Command.DEL).arg(app + ":signals").arg(app + ":cache:garbage:bad")
      .arg(app + ":cache:users:u1").arg(app + ":bloom:tokens").arg(app + ":bloom:tokens:meta"))
      .await(30, TimeUnit.SECONDS);
    redis.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private ColonyConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("APP_PORT", "0", "SHUTDOWN_DRAIN_MS", "0",
      "STORAGE_PATH", storage.toString(), "APP_NAME", app));
    env.putAll(extra);
    return ConfigLoader.load(env, 2);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static String check(Node node, String id) throws Exception {
    JsonObject json = await(node.readiness().checkStatus()).toJson();
    return json.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> c.getString("id").equals(id)).findFirst().map(c -> c.getString("status")).orElse(null);
  }

  @Test
  void memoryIsTheDefaultWithMemoryBloomFiltersAndNoReadinessCheck() throws Exception {
    ColonyConfig config = config(Map.of("CACHE_MEMORY_MAX", "50"));
    CachePart part = CachePart.fromConfig(config);
    assertThatThrownBy(part::caches).isInstanceOf(IllegalStateException.class);
    Node node = new Node(vertx, config, List.of(part));
    await(node.start());
    try {
      assertThat(part.adapter()).isEqualTo("memory");
      assertThat(part.caches().store()).isEqualTo("memory");
      assertThat(node.status().getJsonObject("cache"))
        .isEqualTo(new JsonObject().put("store", "memory").put("bloom", "memory"));
      assertThat(node.status().getJsonObject("adapters").getString("cache")).isEqualTo("memory");
      assertThat(node.status().getJsonObject("configuredNotRunning").containsKey("cache")).isFalse();
      assertThat(check(node, "cache")).isNull();
      Cache cache = part.caches().cache("users");
      for (int i = 0; i < 500; i++) {
        await(cache.set("u" + i, i));
      }
      assertThat(((MemoryCache) cache).estimatedSize()).isLessThanOrEqualTo(50);
    } finally {
      await(node.shutdown());
    }
  }

  @Test
  void redisWithSignalsNearCachesLuaBitmapAndACheckAndBadInputLeavesTheNodeServing() throws Exception {
    ColonyConfig config = config(Map.of("CACHE_DEFAULT_STORE", "redis", "CACHE_REDIS_URL", TestRedis.url(),
      "PUBSUB_ADAPTER_REDIS_URL", TestRedis.url(), "CLUSTER_ALLOW_PARTIAL", "true"));
    CachePart part = CachePart.fromConfig(config);
    Node node = new Node(vertx, config, List.of(SignalsPart.fromConfig(config), part));
    await(node.start());
    try {
      assertThat(part.adapter()).isEqualTo("redis");
      assertThat(node.status().getJsonObject("cache"))
        .isEqualTo(new JsonObject().put("store", "redis").put("bloom", "lua-bitmap"));
      assertThat(check(node, "cache")).isEqualTo("UP");

      Cache near = part.caches().cache("users", CacheOptions.DEFAULT.withNear());
      await(near.set("u1", new JsonObject().put("name", "Ann")));
      assertThat(await(near.get("u1"))).isEqualTo(new JsonObject().put("name", "Ann"));

      // Bad input of every kind: each a clear error, none stops the node.
      Redis raw = Redis.createClient(vertx, TestRedis.url());
      await(raw.send(Request.cmd(Command.SET).arg(app + ":cache:garbage:bad").arg("<html>")));
      await(raw.close());
      Throwable notJson = failure(part.caches().cache("garbage").get("bad"));
      Throwable unknown = failure(part.bloomFilters().exists("no-such-filter", "t"));
      BloomFilters blooms = part.bloomFilters();
      assertThatThrownBy(() -> blooms.reserve("tokens", 0.001, 0)).hasMessageContaining("capacity");
      assertThatThrownBy(() -> blooms.reserve("tokens", 2, 1000)).hasMessageContaining("error rate");
      assertThatThrownBy(() -> blooms.reserve("tokens", 1e-9, 1_000_000_000)).hasMessageContaining("bits");
      System.out.printf("[CachePartIT] bad input answers: %s | %s%n", notJson.getMessage(), unknown.getMessage());
      assertThat(notJson).isInstanceOf(CacheValueException.class);
      assertThat(unknown).isInstanceOf(UnknownFilterException.class).hasMessageContaining("no-such-filter");

      await(blooms.reserve("tokens", 0.001, 1_000_000));
      assertThat(await(blooms.add("tokens", "jwt-1"))).isTrue();
      assertThat(await(blooms.exists("tokens", "jwt-1"))).isTrue();
      assertThat(check(node, "cache")).isEqualTo("UP");
      assertThat(node.state()).isEqualTo(Node.State.SERVING);
    } finally {
      await(node.shutdown());
    }
    assertThat(failure(part.caches().cache("users").get("u1"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readinessGoesDownWhenRedisDoesAndStartFailsWithoutRedis() throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      ColonyConfig config = config(Map.of("CACHE_DEFAULT_STORE", "redis", "CACHE_REDIS_URL", server.url(),
        "CLUSTER_ALLOW_PARTIAL", "true"));
      CachePart part = CachePart.fromConfig(config);
      Node node = new Node(vertx, config, List.of(part));
      await(part.start(node));
      assertThat(check(node, "cache")).isEqualTo("UP");

      server.kill();

      assertThat(check(node, "cache")).isEqualTo("DOWN");
      assertThat(failure(part.caches().cache("users").get("u1"))).isNotNull();
      await(part.stop());

      CachePart second = CachePart.fromConfig(config);
      assertThat(failure(second.start(new Node(vertx, config, List.of(second))))).isNotNull();
    }
  }
}
