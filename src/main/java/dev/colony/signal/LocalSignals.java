package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Signals for a single node: the event bus of this JVM and nothing else. With the default {@code skipSelf} a
 * signal has no receiver (there is no other node), as in NocoBase.
 */
final class LocalSignals extends EventBusSignals {

  private volatile boolean closed;

  LocalSignals(Vertx vertx, String nodeId) {
    super(vertx, nodeId);
  }

  @Override
  public Future<Void> publish(String topic, JsonObject message, PublishOptions options) {
    Envelope envelope = envelope(topic, message, options);
    if (closed) {
      return Future.failedFuture(new IllegalStateException("signals closed"));
    }
    if (envelope.onlySelf() || !envelope.skipSelf()) {
      deliverLocally(envelope);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }
}
