package dev.colony.ids;

import dev.colony.Node;
import dev.colony.config.ConfigLoader;
import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ids part of a node against the real Redis: lease, loss, lease again, release. */
class IdsPartIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final String app = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, TestRedis.url()));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private IdsPart startNode() throws Exception {
    return startNode(TestRedis.url());
  }

  private IdsPart startNode(String redisUrl) throws Exception {
    var config = ConfigLoader.load(Map.of("REDIS_URL", redisUrl, "APP_NAME", app, "CLUSTER_ALLOW_PARTIAL",
      "true", "ID_LEASE_TTL_MS", "1500", "APP_PORT", "0", "STORAGE_PATH", storage.toString(),
      "SHUTDOWN_DRAIN_MS", "0", "ACCESS_LOG", "false"), 2);
    IdsPart part = new IdsPart(config);
    node = new Node(vertx, config, List.of(part));
    node.start().await(10, TimeUnit.SECONDS);
    return part;
  }

  private Node node;

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** True once an id can be issued: the lease is valid and the clock has reached the slot's recorded horizon. */
  private static boolean issues(Ids ids) {
    try {
      ids.next();
      return true;
    } catch (IdUnavailableException | IdExhaustedException notYet) {
      return false;
    }
  }

  @Test
  void deletedLeaseStopsIdsThenTheNodeLeasesAgain() throws Exception {
    Ids ids = startNode().ids();
    int slot = ids.workerId().getAsInt();
    assertThat(ids.next()).isPositive();

    redis.del(List.of(WorkerLease.key(app, slot))).await(5, TimeUnit.SECONDS);
    await("ids stop once the renewal finds the lease gone", () -> !ids.issuing());
    assertThatThrownBy(ids::next).isInstanceOf(IdUnavailableException.class);
    assertThat(node.readiness().checkStatus().await(5, TimeUnit.SECONDS).getUp()).isFalse();

    await("the node leases a slot again", () -> issues(ids));
    assertThat(redis.get(WorkerLease.key(app, ids.workerId().getAsInt())).await(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void idsAfterLeasingAgainOnTheSameSlotStayIncreasing() throws Exception {
    Ids ids = startNode().ids();
    long before = ids.next(10_000)[9_999];
    redis.del(List.of(WorkerLease.key(app, ids.workerId().getAsInt()))).await(5, TimeUnit.SECONDS);
    await("ids stop", () -> !ids.issuing());
    await("ids resume", () -> issues(ids));
    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void redisOutageStopsIdsAndARestartedRedisIsLeasedAgain() throws Exception {
    try (PrivateRedis privateRedis = PrivateRedis.start()) {
      Ids ids = startNode(privateRedis.url()).ids();
      assertThat(ids.issuing()).isTrue();
      privateRedis.kill();
      await("no ids once no renewal has succeeded for 2/3 of the TTL", () -> !ids.issuing());
      assertThatThrownBy(ids::next).isInstanceOf(IdUnavailableException.class);
      privateRedis.launch(); // empty: the lease is gone, so the node must lease again
      await("ids again once a slot is leased on the restarted Redis", () -> issues(ids));
      assertThat(node.readiness().checkStatus().await(5, TimeUnit.SECONDS).getUp()).isTrue();
    }
  }

  @Test
  void shutdownReleasesTheSlotAndRecordsTheLastTick() throws Exception {
    Ids ids = startNode().ids();
    int slot = ids.workerId().getAsInt();
    long id = ids.next();
    node.shutdown().await(10, TimeUnit.SECONDS);
    assertThat(redis.get(WorkerLease.key(app, slot)).await(5, TimeUnit.SECONDS)).isNull();
    long last = redis.get(WorkerLease.key(app, slot) + ":last").await(5, TimeUnit.SECONDS).toLong();
    long idTick = IdLayout.NOCOBASE.decompose(id).timestamp().getEpochSecond() - 1605024000L;
    assertThat(last).as("the last tick really issued, not the renewal horizon, so a restart need not wait")
      .isEqualTo(idTick);
    redis.del(List.of(WorkerLease.key(app, slot) + ":last")).await(5, TimeUnit.SECONDS);
  }
}
