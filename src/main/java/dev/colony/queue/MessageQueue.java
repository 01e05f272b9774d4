package dev.colony.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * A message queue with at-least-once delivery (DESIGN section 7). Every adapter (memory, redis, rabbitmq) has the
 * same semantics: a message is acknowledged only after its handler's future succeeds; a failure or a timeout is
 * retried with exponential backoff; after the last retry the message goes to the channel's dead-letter store with
 * its error, where it can be listed and requeued. A poison message never blocks the rest of its channel, and
 * publishing needs no local consumer.
 */
public interface MessageQueue {

  /**
   * Publishes {@code payload} to {@code channel}. The future succeeds with the message id once the message is
   * durable for the adapter (written to the stream, confirmed by the broker), and fails otherwise: the caller
   * always knows.
   *
   * @throws IllegalArgumentException if the channel name is not valid ({@link Channels#check})
   */
  Future<String> publish(String channel, JsonObject payload, PublishOptions options);

  default Future<String> publish(String channel, JsonObject payload) {
    return publish(channel, payload, PublishOptions.DEFAULT);
  }

  /**
   * Consumes {@code channel}: {@code handler} is called with each message and returns a future; the message is
   * acknowledged when that future succeeds. At most {@code options.concurrency()} handlers of this subscription run
   * at once.
   */
  Future<QueueSubscription> consume(String channel, Function<Message, Future<?>> handler, ConsumeOptions options);

  /** Up to {@code limit} dead letters of {@code channel}, oldest first. */
  Future<List<DeadLetter>> deadLetters(String channel, int limit);

  /**
   * Moves the dead letter {@code messageId} of {@code channel} back onto the channel with a fresh attempt count.
   * The future succeeds with false when there is no such dead letter.
   */
  Future<Boolean> requeue(String channel, String messageId);

  /**
   * Checks the adapter's connection within its deadline, for the {@code queue} readiness check: fails if the
   * backing service does not answer. The memory queue has no connection and always succeeds.
   */
  default Future<Void> ping() {
    return Future.succeededFuture();
  }

  /**
   * Stops every subscription from fetching, waits up to {@code timeoutMs} for in-flight handlers, leaves the rest to
   * be redelivered (or, for memory, saved), then closes the adapter's connections.
   */
  Future<Void> close(long timeoutMs);
}
