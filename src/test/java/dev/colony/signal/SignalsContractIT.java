package dev.colony.signal;

import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link Signals} contract as one node sees it, run against every implementation. */
class SignalsContractIT {

  private static final long WAIT_MS = 10_000;

  private final String app = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private Vertx vertx;
  private Signals signals;

  private Signals start(String impl) throws Exception {
    vertx = Vertx.vertx();
    signals = impl.equals("local") ? Signals.local(vertx, "n1")
      : RedisSignals.start(vertx, "n1", RedisSignalsOptions.of(TestRedis.url(), app, 1000))
      .await(20, TimeUnit.SECONDS);
    return signals;
  }

  @AfterEach
  void close() throws Exception {
    if (signals != null) {
      signals.close().await();
    }
    if (vertx != null) {
      if (signals instanceof RedisSignals) {
        Redis redis = Redis.createClient(vertx, TestRedis.url());
        redis.send(Request.cmd(Command.DEL).arg(app + ":signals")).await();
        redis.close();
      }
      vertx.close().await();
    }
  }

  private Received subscribe(String topic, long debounceMs) {
    Received r = new Received();
    signals.subscribe(topic, debounceMs, r).ready().await();
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void skipSelfIsTheDefaultAndOnlySelfOrSkipSelfFalseReachThisNode(String impl) throws Exception {
    start(impl);
    Received r = subscribe("roles", 0);
    signals.publish("roles", new JsonObject().put("k", "default")).await();
    signals.publish("roles", new JsonObject().put("k", "everywhere"), PublishOptions.EVERYWHERE).await();
    signals.publish("roles", new JsonObject().put("k", "only"), PublishOptions.ONLY_SELF).await();
    signals.publish("roles", new JsonObject().put("k", "both"), new PublishOptions(true, true)).await();
    r.awaitCount(3, WAIT_MS);
    Received.sleep(300);
    assertThat(r.signals).extracting(s -> s.message().getString("k")).containsExactly("everywhere", "only", "both");
    assertThat(r.signals).allMatch(s -> s.publisherId().equals("n1") && s.topic().equals("roles"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void everySubscriberGetsEachSignalOnceWithItsOwnCopy(String impl) throws Exception {
    start(impl);
    Received one = subscribe("t", 0);
    Received two = subscribe("t", 0);
    Received other = subscribe("other", 0);
    signals.publish("t", new JsonObject().put("n", 1), PublishOptions.EVERYWHERE).await();
    assertThat(one.awaitCount(1, WAIT_MS)).isEqualTo(1);
    assertThat(two.awaitCount(1, WAIT_MS)).isEqualTo(1);
    one.signals.get(0).message().put("n", 99);
    assertThat(two.signals.get(0).message().getInteger("n")).isEqualTo(1);
    Received.sleep(200);
    assertThat(one.count() + two.count()).isEqualTo(2);
    assertThat(other.count()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void debounceMergesIdenticalMessagesWithinTheWindowAndOnlyThose(String impl) throws Exception {
    start(impl);
    Received debounced = subscribe("cache", 500);
    Received plain = subscribe("cache", 0);
    for (int i = 0; i < 5; i++) {
      signals.publish("cache", new JsonObject().put("key", "a").put("n", 1), PublishOptions.EVERYWHERE);
      signals.publish("cache", new JsonObject().put("n", 1).put("key", "a"), PublishOptions.EVERYWHERE);
    }
    signals.publish("cache", new JsonObject().put("key", "b"), PublishOptions.EVERYWHERE).await();
    assertThat(plain.awaitCount(11, WAIT_MS)).isEqualTo(11);
    assertThat(debounced.awaitCount(2, WAIT_MS)).isEqualTo(2);
    Received.sleep(700);
    assertThat(debounced.signals).extracting(s -> s.message().getString("key")).containsExactlyInAnyOrder("a", "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void unsubscribedHandlersReceiveNothing(String impl) throws Exception {
    start(impl);
    Received r = new Received();
    Subscription s = signals.subscribe("t", r);
    s.ready().await();
    s.unsubscribe().await();
    s.unsubscribe().await();
    signals.publish("t", new JsonObject(), PublishOptions.EVERYWHERE).await();
    Received.sleep(200);
    assertThat(r.count()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void badArgumentsThrowAtOnceAndPublishAfterCloseFails(String impl) throws Exception {
    start(impl);
    assertThatThrownBy(() -> signals.publish(" ", new JsonObject())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signals.publish("t", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> signals.subscribe("t", -1, s -> { })).isInstanceOf(IllegalArgumentException.class);
    signals.close().await();
    assertThat(signals.publish("t", new JsonObject()).failed()).isTrue();
  }
}
