package dev.colony.signal;

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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis bridge between independent nodes (each its own Vert.x instance and bridge), on a real Redis. */
class RedisSignalsIT {

  private static final long WAIT_MS = 20_000;

  private final String app = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    try (Raw raw = new Raw(TestRedis.url())) {
      raw.send(Request.cmd(Command.DEL).arg(app + ":signals"));
    }
  }

  private RedisSignalsOptions options(String url) {
    return RedisSignalsOptions.of(url, app, 100_000).withReconnect(50, 500).withBlockMs(1000);
  }

  private TestNode node(String id, RedisSignalsOptions options) {
    TestNode n = TestNode.start(id, options);
    closing.add(n);
    return n;
  }

  private static JsonObject msg(String from, int i) {
    return new JsonObject().put("from", from).put("i", i);
  }

  private static List<Integer> indexes(Received r, String from) {
    return r.signals.stream().filter(s -> from.equals(s.message().getString("from")))
      .map(s -> s.message().getInteger("i")).collect(Collectors.toList());
  }

  @Test
  void everyNodeReceivesEveryOtherNodesSignalsOnceInOrder() throws Exception {
    int perNode = 300;
    List<TestNode> nodes = List.of(node("a", options(TestRedis.url())), node("b", options(TestRedis.url())),
      node("c", options(TestRedis.url())));
    List<Received> received = nodes.stream().map(n -> n.subscribe("schema")).collect(Collectors.toList());
    List<Future<Void>> sent = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      for (TestNode n : nodes) {
        sent.add(n.signals.publish("schema", msg(n.signals.nodeId(), i)));
      }
    }
    Future.all(sent).await();
    List<Integer> expected = IntStream.range(0, perNode).boxed().collect(Collectors.toList());
    for (int k = 0; k < nodes.size(); k++) {
      Received r = received.get(k);
      r.awaitCount(2 * perNode, WAIT_MS);
      Received.sleep(200); // anything extra (a duplicate) would show up now
      String self = nodes.get(k).signals.nodeId();
      for (TestNode other : nodes) {
        String from = other.signals.nodeId();
        assertThat(indexes(r, from)).as("node %s from %s", self, from).isEqualTo(from.equals(self) ? List.of() : expected);
      }
      assertThat(r.signals).allMatch(s -> !s.publisherId().equals(self)).hasSize(2 * perNode);
    }
  }

  @Test
  void skipSelfFalseReachesThisNodeOnceAndTheOthers() throws Exception {
    TestNode a = node("a", options(TestRedis.url()));
    TestNode b = node("b", options(TestRedis.url()));
    Received atA = a.subscribe("roles");
    Received atB = b.subscribe("roles");
    a.signals.publish("roles", msg("a", 1), PublishOptions.EVERYWHERE).await();
    assertThat(atB.awaitCount(1, WAIT_MS)).isEqualTo(1);
    assertThat(atA.awaitCount(1, WAIT_MS)).isEqualTo(1);
    Received.sleep(300);
    assertThat(atA.count()).isEqualTo(1);
    assertThat(atB.count()).isEqualTo(1);
  }

  @Test
  void onlySelfStaysOnThisNodeAndSkipSelfSkipsIt() throws Exception {
    TestNode a = node("a", options(TestRedis.url()));
    TestNode b = node("b", options(TestRedis.url()));
    Received atA = a.subscribe("roles");
    Received atB = b.subscribe("roles");
    a.signals.publish("roles", msg("only", 1), PublishOptions.ONLY_SELF).await();
    a.signals.publish("roles", msg("skip", 2)).await();
    assertThat(atB.awaitCount(s -> s.message().getString("from").equals("skip"), 1, WAIT_MS)).isEqualTo(1);
    assertThat(atA.awaitCount(1, WAIT_MS)).isEqualTo(1);
    Received.sleep(300);
    assertThat(atA.signals).extracting(s -> s.message().getString("from")).containsExactly("only");
    assertThat(atB.signals).extracting(s -> s.message().getString("from")).containsExactly("skip");
  }

  @Test
  void malformedEntriesAreSkippedAndTheBridgeKeepsReading() throws Exception {
    TestNode b = node("b", options(TestRedis.url()));
    Received atB = b.subscribe("roles");
    String key = app + ":signals";
    try (Raw raw = new Raw(TestRedis.url())) {
      raw.send(Request.cmd(Command.XADD).arg(key).arg("*").arg("other").arg("x"));
      raw.send(Request.cmd(Command.XADD).arg(key).arg("*").arg("envelope").arg("not json {"));
      raw.send(Request.cmd(Command.XADD).arg(key).arg("*").arg("envelope").arg("{\"topic\":\"roles\",\"message\":{}}"));
      raw.send(Request.cmd(Command.XADD).arg(key).arg("*").arg("envelope")
        .arg("{\"publisherId\":\"x\",\"topic\":\"roles\",\"message\":\"text\"}"));
      raw.send(Request.cmd(Command.XADD).arg(key).arg("*").arg("envelope")
        .arg(new JsonObject().put("publisherId", "nocobase").put("topic", "roles").put("message", msg("ok", 1)).encode()));
    }
    assertThat(atB.awaitCount(1, WAIT_MS)).isEqualTo(1);
    assertThat(atB.signals.get(0).publisherId()).isEqualTo("nocobase");
    assertThat(b.signals.stats().await().getLong("malformed")).isEqualTo(4);
    TestNode a = node("a", options(TestRedis.url()));
    a.signals.publish("roles", msg("a", 2)).await();
    assertThat(atB.awaitCount(2, WAIT_MS)).isEqualTo(2);
  }

  @Test
  void aCutNodeReceivesEverythingPublishedMeanwhile() throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", port(TestRedis.url()))) {
      TestNode a = node("a", options(TestRedis.url()));
      TestNode b = node("b", options(proxy.url()));
      Received atB = b.subscribe("cache");
      Received resync = b.subscribe(Signals.RESYNC);
      for (int i = 0; i < 50; i++) {
        a.signals.publish("cache", msg("a", i)).await();
      }
      assertThat(atB.awaitCount(50, WAIT_MS)).isEqualTo(50);

      proxy.cut();
      awaitDisconnected(b);
      int duringCut = 200;
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 50; i < 50 + duringCut; i++) {
        sent.add(a.signals.publish("cache", msg("a", i)));
      }
      Future.all(sent).await();
      Received.sleep(500);
      int beforeRestore = atB.count() - 50;
      assertThat(b.signals.ready()).as("reconnecting within the grace period").isTrue();
      proxy.restore();
      atB.awaitCount(50 + duringCut, WAIT_MS);
      Received.sleep(200);
      int after = atB.count() - 50 - beforeRestore;
      System.out.printf("catch-up: published during the cut=%d, received during the cut=%d, received after reconnect=%d%n",
        duringCut, beforeRestore, after);
      assertThat(beforeRestore).isZero();
      assertThat(indexes(atB, a.signals.nodeId()))
        .isEqualTo(IntStream.range(0, 50 + duringCut).boxed().collect(Collectors.toList()));
      assertThat(resync.count()).isZero();
    }
  }

  @Test
  void aNodeWhoseLastIdWasTrimmedGetsResync() throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", port(TestRedis.url()))) {
      RedisSignalsOptions small = new RedisSignalsOptions(TestRedis.url(), app, 10, 10_000, 1_000, 500, 1000, 3000,
        10_000, 50, 500, 10_000, 2_000);
      TestNode a = node("a", small);
      TestNode b = node("b", options(proxy.url()));
      Received atB = b.subscribe("cache");
      Received resync = b.subscribe(Signals.RESYNC);
      a.signals.publish("cache", msg("a", 0)).await();
      assertThat(atB.awaitCount(1, WAIT_MS)).isEqualTo(1);
      proxy.cut();
      awaitDisconnected(b);
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 1; i <= 1000; i++) {
        sent.add(a.signals.publish("cache", msg("a", i)));
      }
      Future.all(sent).await();
      proxy.restore();
      assertThat(resync.awaitCount(1, WAIT_MS)).isEqualTo(1);
      assertThat(resync.signals.get(0).message().getString("reason")).isEqualTo("trimmed");
      a.signals.publish("cache", msg("a", 1001)).await();
      assertThat(atB.awaitCount(s -> s.message().getInteger("i") == 1001, 1, WAIT_MS)).isEqualTo(1);
    }
  }

  @Test
  void aSignalPublishedWhileRedisIsDownIsDeliveredWhenItIsBack() throws Exception {
    try (PrivateRedis redis = PrivateRedis.start(true)) {
      TestNode a = node("a", options(redis.url()).withReadinessGraceMs(60_000));
      TestNode b = node("b", options(redis.url()));
      Received atB = b.subscribe("schema");
      a.signals.publish("schema", msg("a", 0)).await();
      assertThat(atB.awaitCount(1, WAIT_MS)).isEqualTo(1);
      redis.kill();
      a.signals.publish("schema", msg("a", 1)).await(10, TimeUnit.SECONDS);
      a.signals.publish("schema", msg("a", 2)).await(10, TimeUnit.SECONDS);
      assertThat(a.signals.ready()).as("reconnecting within the grace period").isTrue();
      assertThat(a.signals.state().getInteger("buffered")).isEqualTo(2);
      Received.sleep(300);
      redis.launch();
      assertThat(atB.awaitCount(3, WAIT_MS)).isEqualTo(3);
      assertThat(indexes(atB, a.signals.nodeId())).containsExactly(0, 1, 2);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
      while (!a.signals.state().getBoolean("connected") && System.nanoTime() < deadline) {
        Received.sleep(50);
      }
      assertThat(a.signals.state().getBoolean("connected")).isTrue();
    }
  }

  @Test
  void overflowFailsThePublishAndRaisesResyncHereAndElsewhere() throws Exception {
    try (PrivateRedis redis = PrivateRedis.start(true)) {
      TestNode a = node("a", options(redis.url()).withBufferCapacity(5));
      TestNode b = node("b", options(redis.url()));
      Received resyncA = a.subscribe(Signals.RESYNC);
      Received resyncB = b.subscribe(Signals.RESYNC);
      Received atB = b.subscribe("schema");
      redis.kill();
      for (int i = 0; i < 5; i++) {
        a.signals.publish("schema", msg("a", i)).await(10, TimeUnit.SECONDS);
      }
      assertThatThrownBy(() -> a.signals.publish("schema", msg("a", 5)).await(10, TimeUnit.SECONDS))
        .isInstanceOf(SignalsOverflowException.class);
      assertThat(resyncA.awaitCount(1, WAIT_MS)).isEqualTo(1);
      assertThat(resyncA.signals.get(0).message().getString("reason")).isEqualTo("buffer-overflow");
      redis.launch();
      assertThat(atB.awaitCount(5, WAIT_MS)).isEqualTo(5);
      assertThat(resyncB.awaitCount(1, WAIT_MS)).isEqualTo(1);
      assertThat(resyncB.signals.get(0).message().getString("reason")).isEqualTo("publisher-overflow");
    }
  }

  @Test
  void readinessFailsAfterTheGracePeriod() throws Exception {
    try (PrivateRedis redis = PrivateRedis.start()) {
      TestNode a = node("a", options(redis.url()).withReadinessGraceMs(300));
      assertThat(a.signals.ready()).isTrue();
      redis.kill();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
      while (a.signals.ready() && System.nanoTime() < deadline) {
        Received.sleep(50);
      }
      assertThat(a.signals.ready()).isFalse();
      redis.launch();
      while (!a.signals.ready() && System.nanoTime() < deadline + TimeUnit.MILLISECONDS.toNanos(WAIT_MS)) {
        Received.sleep(50);
      }
      assertThat(a.signals.ready()).isTrue();
    }
  }

  @Test
  void oneBridgePerVertxInstanceAndStream() throws Exception {
    TestNode a = node("a", options(TestRedis.url()));
    assertThatThrownBy(() -> RedisSignals.start(a.vertx, "again", options(TestRedis.url())).await(10, TimeUnit.SECONDS))
      .isInstanceOf(IllegalStateException.class).hasMessageContaining("already runs");
  }

  private static void awaitDisconnected(TestNode n) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (n.signals.state().getBoolean("connected") && System.nanoTime() < deadline) {
      Received.sleep(20);
    }
    assertThat(n.signals.state().getBoolean("connected")).as("cut").isFalse();
  }

  private static int port(String url) {
    return java.net.URI.create(url).getPort();
  }

  /** A plain client for writing raw entries. */
  private static final class Raw implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;

    Raw(String url) {
      redis = Redis.createClient(vertx, url);
    }

    void send(Request r) {
      try {
        redis.send(r).await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      redis.close();
      vertx.close().await();
    }
  }
}
