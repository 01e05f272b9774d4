package dev.colony.signal;

import dev.colony.Node;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The part inside a real node: adapter chosen by the configuration, readiness check, status, stop. */
class SignalsPartIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final String app = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @AfterEach
  void close() throws Exception {
    Redis redis = Redis.createClient(vertx, TestRedis.url());
    redis.send(Request.cmd(Command.DEL).arg(app + ":signals")).await();
    redis.close();
    vertx.close().await();
  }

  private ColonyConfig config(boolean redis) {
    Map<String, String> env = new HashMap<>(Map.of("APP_PORT", "0", "SHUTDOWN_DRAIN_MS", "0", "STORAGE_PATH", storage.toString(),
      "APP_NAME", app));
    if (redis) {
      env.put("PUBSUB_ADAPTER_REDIS_URL", TestRedis.url());
      env.put("CLUSTER_ALLOW_PARTIAL", "true");
    }
    return ConfigLoader.load(env, 2);
  }

  @Test
  void redisWhenTheUrlIsSetWithAReadinessCheck() throws Exception {
    SignalsPart part = SignalsPart.fromConfig(config(true));
    assertThat(part.adapter()).isEqualTo("redis");
    assertThatThrownBy(part::signals).isInstanceOf(IllegalStateException.class);
    Node node = new Node(vertx, config(true), List.of(part));
    node.start().await();
    try {
      assertThat(part.signals()).isInstanceOf(RedisSignals.class);
      assertThat(part.signals().nodeId()).isEqualTo(node.nodeId());
      CheckResult ready = node.readiness().checkStatus().await();
      JsonObject json = ready.toJson();
      assertThat(json.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("signals")).findFirst().orElseThrow().getString("status"))
        .isEqualTo("UP");
      assertThat(node.status().getJsonObject("signals").getString("adapter")).isEqualTo("redis");
      assertThat(node.status().getJsonObject("signals").getBoolean("connected")).isTrue();
    } finally {
      node.shutdown().await();
    }
    assertThat(part.signals().publish("t", new JsonObject()).failed()).isTrue();
  }

  @Test
  void localWithoutTheUrl() throws Exception {
    SignalsPart part = SignalsPart.fromConfig(config(false));
    assertThat(part.adapter()).isEqualTo("local");
    Node node = new Node(vertx, config(false), List.of(part));
    node.start().await();
    try {
      Received r = new Received();
      part.signals().subscribe("t", r).ready().await();
      part.signals().publish("t", new JsonObject().put("a", 1), PublishOptions.EVERYWHERE).await();
      assertThat(r.awaitCount(1, 5000)).isEqualTo(1);
    } finally {
      node.shutdown().await();
    }
  }
}
