package dev.colony.lock;

import dev.colony.Node;
import dev.colony.config.ConfigLoader;
import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class LocksPartIT {

  private static final String APP = LocksContract.APP + "part";

  private static Node node(Vertx vertx, LocksPart part, Map<String, String> env) {
    return new Node(vertx, ConfigLoader.load(env, 1), List.of(part));
  }

  @Test
  void localIsTheDefaultAndNeedsNoReadinessCheck(Vertx vertx) throws Exception {
    Map<String, String> env = Map.of("APP_NAME", APP);
    LocksPart part = LocksPart.create(vertx, ConfigLoader.load(env, 1));
    Node node = node(vertx, part, env);

    part.start(node).await(10, TimeUnit.SECONDS);

    assertThat(part.adapter()).isEqualTo("local");
    assertThat(part.locks()).isInstanceOf(LocalLocks.class);
    assertThat(node.readiness().checkStatus().await(10, TimeUnit.SECONDS).getChecks()).isEmpty();
    part.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void redisRegistersAReadinessCheckAndStopReleasesHeldLeases(Vertx vertx) throws Exception {
    Map<String, String> env = Map.of("APP_NAME", APP, "LOCK_ADAPTER_DEFAULT", "redis",
      "LOCK_ADAPTER_REDIS_URL", TestRedis.url(), "CLUSTER_ALLOW_PARTIAL", "true");
    LocksPart part = LocksPart.create(vertx, ConfigLoader.load(env, 1));
    Node node = node(vertx, part, env);
    part.start(node).await(10, TimeUnit.SECONDS);
    Lease lease = part.locks().acquire("part-held", LockOptions.of(Duration.ofSeconds(30), Duration.ZERO))
      .await(10, TimeUnit.SECONDS);
    JsonObject status = new JsonObject();
    part.status(status);

    CheckResult ready = node.readiness().checkStatus("locks").await(10, TimeUnit.SECONDS);
    part.stop().await(10, TimeUnit.SECONDS);

    assertThat(part.adapter()).isEqualTo("redis");
    assertThat(ready.getUp()).isTrue();
    assertThat(status.getJsonObject("locks")).isEqualTo(new JsonObject().put("adapter", "redis").put("held", 1));
    RedisLocks probe = RedisLocks.create(vertx, APP, TestRedis.url());
    assertThat(probe.tryAcquire("part-held", Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS)).isPresent();
    assertThat(lease.fence()).isPositive();
    probe.close().await(10, TimeUnit.SECONDS);
    Redis r = Redis.createClient(vertx, TestRedis.url());
    RedisAPI.api(r).del(List.of(APP + ":lock-fence:part-held")).await(10, TimeUnit.SECONDS);
    r.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void readinessGoesDownWhenRedisDoes(Vertx vertx) throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      Map<String, String> env = Map.of("APP_NAME", APP, "LOCK_ADAPTER_DEFAULT", "redis",
        "LOCK_ADAPTER_REDIS_URL", server.url(), "CLUSTER_ALLOW_PARTIAL", "true");
      LocksPart part = LocksPart.create(vertx, ConfigLoader.load(env, 1));
      Node node = node(vertx, part, env);
      part.start(node).await(10, TimeUnit.SECONDS);
      assertThat(node.readiness().checkStatus("locks").await(10, TimeUnit.SECONDS).getUp()).isTrue();

      server.kill();

      assertThat(node.readiness().checkStatus("locks").await(10, TimeUnit.SECONDS).getUp()).isFalse();
      part.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
