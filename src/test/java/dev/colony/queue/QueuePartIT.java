package dev.colony.queue;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import dev.colony.ids.IdsPart;
import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRabbit;
import dev.colony.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.colony.queue.MessageQueueContract.FAST;
import static dev.colony.queue.MessageQueueContract.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The queue part inside a node: adapter from config, ids, readiness, WORKER_MODE, stop, memory restart. */
@ExtendWith(VertxExtension.class)
class QueuePartIT {

  private static final String APP = RedisStreamQueueIT.APP + "part";

  @TempDir
  Path storage;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("APP_NAME", APP, "STORAGE_PATH", storage.toString(),
      "SHUTDOWN_TIMEOUT_MS", "2000"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** Starts ids and queue parts of a node in order, as the node would; returns the queue part. */
  private static QueuePart start(Vertx vertx, Map<String, String> env, List<Part> started) throws Exception {
    ColonyConfig config = ConfigLoader.load(env, 1);
    IdsPart ids = new IdsPart(config);
    QueuePart queue = new QueuePart(config);
    Node node = new Node(vertx, config, List.of(ids, queue));
    ids.start(node).await(10, TimeUnit.SECONDS);
    started.add(ids);
    queue.start(node).await(10, TimeUnit.SECONDS);
    started.add(0, queue);
    return queue;
  }

  private static void stop(List<Part> parts) throws Exception {
    for (Part p : parts) {
      p.stop().await(30, TimeUnit.SECONDS);
    }
    parts.clear();
  }

  @Test
  void memoryIsTheDefaultAndItsPendingMessagesSurviveAGracefulRestart(Vertx vertx) throws Exception {
    List<Part> parts = new ArrayList<>();
    QueuePart first = start(vertx, env(), parts);
    assertThat(first.adapter()).isEqualTo("memory");
    assertThat(first.queue()).isInstanceOf(MemoryQueue.class);
    int pending = 1_000;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < pending; i++) {
      ids.add(first.queue().publish("jobs", new JsonObject().put("n", i)).await(10, TimeUnit.SECONDS));
    }
    assertThat(ids.get(0)).as("a Snowflake id from the ids part").matches("\\d+");
    stop(parts);

    QueuePart second = start(vertx, env(), parts);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    second.consumeIfWorker("jobs", m -> {
      handled.add(m.id());
      return Future.succeededFuture();
    }, FAST.withConcurrency(8)).await(10, TimeUnit.SECONDS);
    waitUntil(() -> handled.size() >= pending, "the 1,000 saved messages handled after the restart");
    long lost = ids.stream().filter(id -> !handled.contains(id)).count();
    System.out.printf("[QueuePartIT] memory restart: pending at shutdown=%d handled after restart=%d lost=%d%n",
      pending, handled.size(), lost);
    assertThat(lost).isZero();
    stop(parts);
  }

  @Test
  void workerModeDecidesWhichTopicsThisNodeConsumes(Vertx vertx) throws Exception {
    List<Part> parts = new ArrayList<>();
    QueuePart part = start(vertx, env("WORKER_MODE", "!,mine"), parts);
    List<Message> mine = new CopyOnWriteArrayList<>();
    List<Message> other = new CopyOnWriteArrayList<>();
    QueueSubscription idle = part.consumeIfWorker("theirs", MessageQueueContract.recording(other), FAST)
      .await(10, TimeUnit.SECONDS);
    part.consumeIfWorker("mine", MessageQueueContract.recording(mine), FAST).await(10, TimeUnit.SECONDS);
    part.queue().publish("theirs", new JsonObject()).await(10, TimeUnit.SECONDS);
    part.queue().publish("mine", new JsonObject()).await(10, TimeUnit.SECONDS);

    waitUntil(() -> mine.size() == 1, "the consumed topic delivered");
    Thread.sleep(300);
    assertThat(other).as("a topic outside WORKER_MODE is not consumed here").isEmpty();
    assertThat(idle.channel()).isEqualTo("theirs");
    idle.close().await(10, TimeUnit.SECONDS);
    stop(parts);
  }

  @Test
  void redisRegistersAReadinessCheckThatFollowsRedis(Vertx vertx) throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      List<Part> parts = new ArrayList<>();
      ColonyConfig config = ConfigLoader.load(env("QUEUE_ADAPTER", "redis", "QUEUE_ADAPTER_REDIS_URL", server.url(),
        "CLUSTER_ALLOW_PARTIAL", "true"), 1);
      QueuePart part = new QueuePart(config);
      Node node = new Node(vertx, config, List.of(part));
      part.start(node).await(10, TimeUnit.SECONDS);
      parts.add(part);
      assertThat(part.queue()).isInstanceOf(RedisStreamQueue.class);
      List<Message> got = new CopyOnWriteArrayList<>();
      part.consumeIfWorker("jobs", MessageQueueContract.recording(got), FAST).await(10, TimeUnit.SECONDS);
      String id = part.queue().publish("jobs", new JsonObject().put("x", 1)).await(10, TimeUnit.SECONDS);
      waitUntil(() -> got.size() == 1, "delivered through Redis");
      assertThat(got.get(0).id()).isEqualTo(id);
      JsonObject status = new JsonObject();
      part.status(status);
      assertThat(status.getJsonObject("queue").getString("adapter")).isEqualTo("redis");
      assertThat(status.getJsonObject("queue").getJsonObject("channels").getJsonObject("jobs").getLong("acked"))
        .isNotNull();

      CheckResult up = node.readiness().checkStatus("queue").await(10, TimeUnit.SECONDS);
      server.kill();
      CheckResult down = node.readiness().checkStatus("queue").await(10, TimeUnit.SECONDS);
      System.out.printf("[QueuePartIT] readiness with Redis up: %s; killed: %s%n", up.getUp(), down.toJson());
      assertThat(up.getUp()).isTrue();
      assertThat(down.getUp()).isFalse();
      stop(parts);
    }
  }

  @Test
  void rabbitmqDeliversAndRegistersAReadinessCheck(Vertx vertx) throws Exception {
    List<Part> parts = new ArrayList<>();
    ColonyConfig config = ConfigLoader.load(env("QUEUE_ADAPTER", "rabbitmq", "QUEUE_ADAPTER_RABBITMQ_URL",
      TestRabbit.url(), "CLUSTER_ALLOW_PARTIAL", "true"), 1);
    QueuePart part = new QueuePart(config);
    Node node = new Node(vertx, config, List.of(part));
    part.start(node).await(30, TimeUnit.SECONDS);
    parts.add(part);
    String channel = "jobs-" + UUID.randomUUID();
    try {
      assertThat(part.queue()).isInstanceOf(RabbitQueue.class);
      List<Message> got = new CopyOnWriteArrayList<>();
      part.consumeIfWorker(channel, MessageQueueContract.recording(got), FAST).await(30, TimeUnit.SECONDS);
      String id = part.queue().publish(channel, new JsonObject().put("x", 1)).await(30, TimeUnit.SECONDS);
      waitUntil(() -> got.size() == 1, "delivered through RabbitMQ");
      assertThat(got.get(0).id()).isEqualTo(id);
      assertThat(node.readiness().checkStatus("queue").await(10, TimeUnit.SECONDS).getUp()).isTrue();
    } finally {
      ((RabbitQueue) part.queue()).deleteChannel(channel).await(30, TimeUnit.SECONDS);
      stop(parts);
    }
  }

  @Test
  void rabbitmqUnreachableFailsTheStartNamingTheBroker(Vertx vertx) {
    ColonyConfig config = ConfigLoader.load(env("QUEUE_ADAPTER", "rabbitmq", "QUEUE_ADAPTER_RABBITMQ_URL",
      "amqp://guest:guest@127.0.0.1:" + PrivateRedis.freePort(), "CLUSTER_ALLOW_PARTIAL", "true"), 1);
    QueuePart part = new QueuePart(config);
    Future<?> start = part.start(new Node(vertx, config, List.of(part)));
    waitQuietly(start);
    assertThat(start.failed()).isTrue();
    System.out.printf("[QueuePartIT] unreachable RabbitMQ: %s%n", start.cause().getMessage());
    assertThat(start.cause()).hasMessageContaining("QUEUE_ADAPTER_RABBITMQ_URL").hasMessageNotContaining("guest:guest");
  }

  @Test
  void messageIdsAreSnowflakeIdsOnRedisToo(Vertx vertx) throws Exception {
    List<Part> parts = new ArrayList<>();
    QueuePart part = start(vertx, env("QUEUE_ADAPTER", "redis", "QUEUE_ADAPTER_REDIS_URL", TestRedis.url(),
      "CLUSTER_ALLOW_PARTIAL", "true"), parts);
    String id = part.queue().publish("ids", new JsonObject()).await(10, TimeUnit.SECONDS);
    assertThat(id).matches("\\d+");
    stop(parts);
    Redis r = Redis.createClient(vertx, TestRedis.url());
    RedisAPI.api(r).del(List.of(APP + ":queue:ids")).await(10, TimeUnit.SECONDS);
    r.close().await(10, TimeUnit.SECONDS);
  }

  private static void waitQuietly(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // inspected by the caller
    }
  }
}
