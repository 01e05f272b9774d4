package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Sync signals: small JSON messages that tell every node of the cluster that something changed (a schema, a
 * role, a cached entry). Every subscriber, on whichever verticle instance it was registered, receives each
 * signal once, through the local event bus address {@code signal.<topic>}; signals from one publisher arrive in
 * publish order. The publisher id is the node id, random for each JVM start.
 *
 * <p>When a node may have missed signals (its place in the Redis stream was trimmed away, its outgoing buffer
 * overflowed, a publisher's sequence has a hole) it raises a local {@link #RESYNC} signal: subscribers to it
 * reload their state from the database.
 */
public interface Signals {

  /** Topic of the local signal raised when this node may have missed signals; its message has a {@code reason}. */
  String RESYNC = "resync";

  /** The local event-bus address of a topic. */
  static String address(String topic) {
    return "signal." + topic;
  }

  /** Signals on this JVM's event bus only (a single node). */
  static Signals local(Vertx vertx, String nodeId) {
    return new LocalSignals(vertx, nodeId);
  }

  /** The publisher id of this node. */
  String nodeId();

  /**
   * Publishes {@code message} on {@code topic}. With {@link PublishOptions#onlySelf()} only this node's
   * subscribers receive it; otherwise every other node's do, and this node's too unless
   * {@link PublishOptions#skipSelf()}. The message is copied; later changes to it are not seen.
   *
   * <p>The future succeeds once the signal is safe: appended to the shared stream, or, while Redis is
   * unreachable, held in the bounded outgoing buffer that is flushed in order on reconnect (local delivery
   * happens at once in both cases). It fails with {@link SignalsOverflowException} when that buffer is full (a
   * {@link #RESYNC} is raised too), and with {@link IllegalStateException} once the signals are closed.
   *
   * @throws NullPointerException     if an argument is null
   * @throws IllegalArgumentException if the topic is blank
   */
  Future<Void> publish(String topic, JsonObject message, PublishOptions options);

  /** {@link #publish(String, JsonObject, PublishOptions)} with the defaults: skip self, not only self. */
  default Future<Void> publish(String topic, JsonObject message) {
    return publish(topic, message, PublishOptions.DEFAULT);
  }

  /**
   * Calls {@code handler} for each signal on {@code topic}, on the context of the caller (the verticle that
   * subscribes), until unsubscribed. Never fails at runtime; an exception thrown by the handler is reported to
   * that context's exception handler and does not stop later deliveries.
   *
   * @throws NullPointerException     if an argument is null
   * @throws IllegalArgumentException if the topic is blank
   */
  default Subscription subscribe(String topic, Handler<Signal> handler) {
    return subscribe(topic, 0, handler);
  }

  /**
   * Like {@link #subscribe(String, Handler)}, but identical messages (same topic, same JSON, key order
   * ignored) arriving within {@code debounceMs} of the first one are merged: the handler is called once, at
   * the end of that window, with the last of them. Different messages are never merged. {@code 0} delivers at
   * once.
   *
   * @throws IllegalArgumentException if {@code debounceMs} is negative or the topic is blank
   */
  Subscription subscribe(String topic, long debounceMs, Handler<Signal> handler);

  /**
   * Stops: flushes what it can of the outgoing buffer within a bound, then closes its Redis connections.
   * Subscriptions stay registered but receive nothing more from other nodes. Never fails.
   */
  Future<Void> close();
}
