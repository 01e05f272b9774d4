package dev.colony.signal;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/** One independent node for the tests: its own Vert.x instance and its own signal bridge. */
final class TestNode implements AutoCloseable {

  final Vertx vertx;
  final RedisSignals signals;

  private TestNode(Vertx vertx, RedisSignals signals) {
    this.vertx = vertx;
    this.signals = signals;
  }

  static TestNode start(String nodeId, RedisSignalsOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      return new TestNode(vertx, RedisSignals.start(vertx, nodeId, options).await(20, TimeUnit.SECONDS));
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("node " + nodeId + " did not start", e);
    }
  }

  /** Subscribes on a fresh context of this node, as a verticle would. */
  Received subscribe(String topic) {
    return subscribe(topic, 0);
  }

  Received subscribe(String topic, long debounceMs) {
    Received r = new Received();
    Subscription s = signals.subscribe(topic, debounceMs, r);
    s.ready().await();
    return r;
  }

  @Override
  public void close() {
    try {
      signals.close().await(10, TimeUnit.SECONDS);
    } catch (Exception | Error ignored) {
      // closing anyway
    }
    vertx.close().await();
  }
}
