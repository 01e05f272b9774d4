package dev.colony.cluster;

import dev.colony.signal.TcpProxy;
import dev.colony.testing.Load;
import dev.colony.testing.NodeProcess;
import dev.colony.testing.TestCluster;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end: real node processes in full cluster mode behind a real nginx running deploy/nginx/colony.conf. */
class ClusterIT {

  private static final long TTL_MS = 3000;
  private static final int CLIENTS = 8;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, String> SETTINGS = Map.of("ID_LEASE_TTL_MS", Long.toString(TTL_MS),
    "SHUTDOWN_DRAIN_MS", "2000", "SHUTDOWN_TIMEOUT_MS", "5000");

  private static Vertx vertx;
  private static RedisAPI redis;

  @TempDir
  Path dir;

  private final String app = "cl" + UUID.randomUUID().toString().substring(0, 8);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = RedisAPI.api(Redis.createClient(vertx, TestRedis.url()));
  }

  @AfterAll
  static void disconnect() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    String cursor = "0";
    do {
      var page = redis.scan(List.of(cursor, "MATCH", app + ":*", "COUNT", "1000")).await(5, TimeUnit.SECONDS);
      cursor = page.get(0).toString();
      List<String> keys = new ArrayList<>();
      page.get(1).forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        redis.del(keys).await(5, TimeUnit.SECONDS);
      }
    } while (!cursor.equals("0"));
  }

  private TestCluster cluster() throws Exception {
    TestCluster c = TestCluster.start(dir, app, 3, SETTINGS);
    toClose.add(c);
    return c;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private static int workerId(NodeProcess n) throws Exception {
    return new JsonObject(n.get("/api/cluster:status").body()).getJsonObject("data").getInteger("workerId");
  }

  @Test
  void clusterUpServesFromThreeNodesWithDistinctWorkerIds() throws Exception {
    TestCluster c = cluster();
    Set<String> nodeIds = new HashSet<>();
    Set<Integer> workerIds = new HashSet<>();
    for (int i = 0; i < 60 && nodeIds.size() < 3; i++) {
      HttpResponse<String> r = get(c.nginx().url("/api/cluster:status"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
      JsonObject data = new JsonObject(r.body()).getJsonObject("data");
      assertThat(data.getBoolean("clustered")).isTrue();
      nodeIds.add(data.getString("nodeId"));
      workerIds.add(data.getInteger("workerId"));
    }
    System.out.printf("through nginx: nodes %s, worker ids %s%n", nodeIds, workerIds);
    assertThat(nodeIds).hasSize(3);
    assertThat(workerIds).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonObject ready = new JsonObject(c.node(i).get("/health/ready").body());
      assertThat(ready.getString("status")).isEqualTo("UP");
      assertThat(ready.toString()).contains("sharedStorage");
    }
  }

  @Test
  void killedNodeFailsAtMostItsInFlightRequestsThenThePoolServesAndItsWorkerIdIsLeasedAgain() throws Exception {
    TestCluster c = cluster();
    String ids = c.nginx().url("/api/ids");
    int slot = workerId(c.node(1));
    Load load = Load.start(List.of(ids), CLIENTS, 200_000, Duration.ofSeconds(120));
    load.awaitMore(500);
    c.node(1).kill();
    long killedAt = System.nanoTime();
    load.awaitMore(3000);
    Load.Result during = load.stop();
    System.out.printf("kill -9 under load: %d ok, %d failed (at most %d were in flight); retried by nginx: %d (%s);"
      + " failures %s%n", during.ok(), during.failed(), CLIENTS, c.nginx().retriedRequests().size(),
      c.nginx().upstreamErrors(), during.failures());
    assertThat(during.failed()).isLessThanOrEqualTo(CLIENTS);

    Load.Result after = Load.start(List.of(ids), CLIENTS, 3000, Duration.ofSeconds(120)).awaitEnd();
    System.out.printf("after the kill: %d ok, %d failed%n", after.ok(), after.failed());
    assertThat(after.failed()).as(after.failures().toString()).isZero();
    assertThat(after.ok()).isEqualTo(3000);

    long left = TTL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    if (left > 0) {
      Thread.sleep(left + 300);
    }
    NodeProcess successor = c.restart(1, Map.of("WORKER_ID", Integer.toString(slot))).awaitReady();
    assertThat(workerId(successor)).isEqualTo(slot);
  }

  @Test
  void rollingRestartUnderLoadFailsNoRequest() throws Exception {
    TestCluster c = cluster();
    List<String> urls = List.of(c.nginx().url("/api/ids"), c.nginx().url("/api/ids?count=10"),
      c.nginx().url("/api/__health_check"));
    Load load = Load.start(urls, CLIENTS, 10_000_000, Duration.ofSeconds(300));
    for (int i = 0; i < c.size(); i++) {
      load.awaitMore(500);
      assertThat(c.node(i).terminate()).as("exit status of node " + i).isZero();
      long served = c.nginx().servedBy(c.port(i));
      c.restart(i, Map.of()).awaitReady();
      // As an operator would: the next node goes only once nginx sends to this one again (after fail_timeout),
      // or the pool could run out of nodes nginx believes are up.
      c.nginx().awaitServedBy(c.port(i), served);
    }
    load.awaitMore(1000);
    Load.Result r = load.stop();
    System.out.printf("rolling restart of 3 nodes under load: %d ok, %d failed; retried by nginx: %d (%s)%n",
      r.ok(), r.failed(), c.nginx().retriedRequests().size(), c.nginx().upstreamErrors());
    assertThat(r.failed()).as("failures %s%nnginx: %s", r.failures(), c.nginx().failedRequests()).isZero();
    assertThat(c.nginx().failedRequests()).isEmpty();
  }

  @Test
  void nodeCutFromRedisTurnsNotReadyAndStopsIssuingIdsBeforeItsLeaseCanPass() throws Exception {
    long ttl = 9000;
    TcpProxy proxy = new TcpProxy("127.0.0.1", URI.create(TestRedis.url()).getPort());
    toClose.add(proxy);
    Map<String, String> env = new HashMap<>(TestCluster.clusterEnv(app, dir.resolve("storage")));
    for (String k : List.of("REDIS_URL", "CACHE_REDIS_URL", "PUBSUB_ADAPTER_REDIS_URL", "LOCK_ADAPTER_REDIS_URL",
      "QUEUE_ADAPTER_REDIS_URL")) {
      env.put(k, proxy.url());
    }
    env.put("ID_LEASE_TTL_MS", Long.toString(ttl));
    NodeProcess node = NodeProcess.start(dir, env);
    toClose.add(node);
    node.awaitReady();
    int slot = workerId(node);
    String lease = app + ":worker-id:" + slot;
    assertThat(node.get("/api/ids").statusCode()).isEqualTo(200);

    proxy.cut();
    // Other checks (locks, sharedStorage) fail at once on the closed connection; the worker-id lease check fails
    // when the last renewal is 2/3 of the TTL old, a third of the TTL before Redis lets the lease expire.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<String> ready = node.get("/health/ready");
    while (!leaseCheckDown(ready) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = node.get("/health/ready");
    }
    boolean leaseStillThere = exists(lease);
    System.out.printf("cut from Redis: not ready (%s), lease key still in Redis then: %s%n",
      ready.body(), leaseStillThere);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(leaseCheckDown(ready)).as(ready.body()).isTrue();
    assertThat(leaseStillThere).as("the node went not-ready before Redis could give its worker id away").isTrue();

    while (exists(lease) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(exists(lease)).isFalse();
    // The slot is free for another node now: this one must have stopped issuing already.
    HttpResponse<String> ids = node.get("/api/ids");
    assertThat(ids.statusCode()).as(ids.body()).isEqualTo(503);
    assertThat(ids.body()).contains("IDS_UNAVAILABLE");
  }

  @Test
  void thirtyThirdNodeRefusesToStartNamingTheSlots() throws Exception {
    for (int i = 0; i < 32; i++) {
      redis.set(List.of(app + ":worker-id:" + i, "fake-holder-" + i, "PX", "60000")).await(5, TimeUnit.SECONDS);
    }
    NodeProcess node = NodeProcess.start(dir, TestCluster.clusterEnv(app, dir.resolve("storage")));
    toClose.add(node);
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("the node exits").isTrue();
    System.out.printf("33rd node exited with %d%n", node.process().exitValue());
    assertThat(node.process().exitValue()).isNotZero();
    assertThat(node.log()).contains("all 32 worker-id slots are taken", app + ":worker-id:0", app + ":worker-id:31");
  }

  private static boolean leaseCheckDown(HttpResponse<String> ready) {
    return new JsonObject(ready.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
      .anyMatch(c -> c.getString("id").equals("workerIdLease") && c.getString("status").equals("DOWN"));
  }

  private static boolean exists(String key) throws Exception {
    return redis.exists(List.of(key)).await(5, TimeUnit.SECONDS).toInteger() == 1;
  }
}
