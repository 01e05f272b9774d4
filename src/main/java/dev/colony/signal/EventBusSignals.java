package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/** What both implementations share: subscribers are local event-bus consumers of {@code signal.<topic>}. */
abstract class EventBusSignals implements Signals {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  final Vertx vertx;
  final String nodeId;

  EventBusSignals(Vertx vertx, String nodeId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  /** Checks the arguments and builds the envelope (seq 0: assigned when it enters the stream's queue). */
  final Envelope envelope(String topic, JsonObject message, PublishOptions options) {
    checkTopic(topic);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(options, "options");
    return new Envelope(nodeId, options.skipSelf(), options.onlySelf(), message.copy(), topic,
      System.currentTimeMillis(), 0);
  }

  /** Hands the envelope to this JVM's subscribers of its topic; each gets its own copy. */
  final void deliverLocally(Envelope envelope) {
    vertx.eventBus().publish(Signals.address(envelope.topic()), envelope.toJson(), LOCAL);
  }

  /** Raises a local {@link Signals#RESYNC} with {@code reason} and any details. */
  final void raiseResync(String reason, JsonObject details) {
    deliverLocally(new Envelope(nodeId, false, true, details.copy().put("reason", reason), RESYNC,
      System.currentTimeMillis(), 0));
  }

  @Override
  public Subscription subscribe(String topic, long debounceMs, Handler<Signal> handler) {
    checkTopic(topic);
    Objects.requireNonNull(handler, "handler");
    if (debounceMs < 0) {
      throw new IllegalArgumentException("debounceMs must be >= 0, was " + debounceMs);
    }
    Debouncer debouncer = debounceMs == 0 ? null : new Debouncer(debounceMs, new Debouncer.Timers() {
      @Override
      public long schedule(long delayMs, Runnable task) {
        return vertx.setTimer(delayMs, id -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    }, handler);
    Handler<Signal> target = debouncer == null ? handler : debouncer;
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Signals.address(topic));
    consumer.handler(m -> target.handle(Envelope.of(m.body()).toSignal()));
    return new Subscription() {
      @Override
      public Future<Void> ready() {
        return consumer.completion();
      }

      @Override
      public Future<Void> unsubscribe() {
        if (debouncer != null) {
          debouncer.cancel();
        }
        return consumer.unregister().otherwiseEmpty();
      }
    };
  }

  private static void checkTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank");
    }
  }
}
