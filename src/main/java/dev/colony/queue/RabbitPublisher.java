package dev.colony.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes with confirms on one channel of the queue's connection. Every publish is mandatory and waits for the
 * broker's ack of its sequence number; a nack, a return (unroutable), the channel or connection going down before
 * the ack, or no ack within {@code confirmTimeoutMs} fails it. Channel writes run on the queue's I/O thread, never
 * on an event loop; futures complete on the caller's context.
 */
final class RabbitPublisher {

  /** Failure of a publish the broker did not confirm. */
  static final class NotConfirmedException extends RuntimeException {
    NotConfirmedException(String message) {
      super(message, null, false, false);
    }
  }

  private record Pending(Context context, Promise<Void> promise, long startedNanos, String target) {
  }

  private final Vertx vertx;
  private final ExecutorService io;
  private final long confirmTimeoutMs;
  /** Keyed by {@link #key}: the connection generation in the high bits, the channel's sequence number below. */
  private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
  /** Bumped when the channel goes down: sequence numbers restart after a reconnect and must not match old ones. */
  private final AtomicLong generation = new AtomicLong();
  private final Channel channel;
  private final long sweeper;

  /** Opens the channel (blocking: call on the I/O thread). */
  RabbitPublisher(Vertx vertx, ExecutorService io, Connection connection, long confirmTimeoutMs) throws IOException {
    this.vertx = vertx;
    this.io = io;
    this.confirmTimeoutMs = confirmTimeoutMs;
    this.channel = connection.createChannel();
    channel.confirmSelect();
    channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
      (tag, multiple) -> settle(tag, multiple, "nacked by the broker"));
    channel.addReturnListener(r -> {
      Object seq = r.getProperties().getHeaders() == null ? null : r.getProperties().getHeaders().get(RabbitNames.H_SEQ);
      if (seq instanceof Number n) {
        fail(pending.remove(key(generation.get(), n.longValue())), "unroutable: returned by the broker (" + r.getReplyText() + ") for "
          + r.getRoutingKey());
      }
    });
    // With automatic recovery the listener stays on the channel across reconnects; sequence numbers restart.
    channel.addShutdownListener(cause -> {
      generation.incrementAndGet();
      failAll("connection lost before the broker confirmed ("
        + cause.getMessage() + ")");
    });
    this.sweeper = vertx.setPeriodic(1_000, t -> sweep());
  }

  /**
   * Publishes {@code body} to {@code exchange} with {@code routingKey}, persistent and mandatory, with
   * {@code headers}; succeeds once the broker confirms it.
   */
  Future<Void> send(String exchange, String routingKey, Map<String, Object> headers, byte[] body) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    String target = exchange.isEmpty() ? routingKey : exchange;
    try {
      io.execute(() -> {
        long seq = channel.getNextPublishSeqNo();
        long key = key(generation.get(), seq);
        Map<String, Object> h = new HashMap<>(headers);
        h.put(RabbitNames.H_SEQ, seq);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
          .contentType("application/json").messageId(String.valueOf(headers.get(RabbitNames.H_ID))).headers(h)
          .build();
        Pending p = new Pending(context, promise, System.nanoTime(), target);
        pending.put(key, p);
        try {
          channel.basicPublish(exchange, routingKey, true, props, body);
        } catch (Exception e) {
          fail(pending.remove(key), "publish failed (" + e.getMessage() + ")");
        }
      });
    } catch (RuntimeException rejected) {
      return Future.failedFuture(new NotConfirmedException("queue is closed"));
    }
    return promise.future();
  }

  int unconfirmed() {
    return pending.size();
  }

  /** Fails what is unconfirmed and closes the channel (on the I/O thread). */
  Future<Void> close() {
    vertx.cancelTimer(sweeper);
    failAll("queue closed before the broker confirmed");
    return Future.succeededFuture();
  }

  private static long key(long generation, long seq) {
    return (generation << 40) | seq;
  }

  private void settle(long tag, boolean multiple, String nackReason) {
    long gen = generation.get();
    if (multiple) {
      ConcurrentNavigableMap<Long, Pending> done = pending.subMap(key(gen, 0), true, key(gen, tag), true);
      for (Map.Entry<Long, Pending> e : done.entrySet()) {
        if (pending.remove(e.getKey(), e.getValue())) {
          complete(e.getValue(), nackReason);
        }
      }
    } else {
      complete(pending.remove(key(gen, tag)), nackReason);
    }
  }

  private void complete(Pending p, String nackReason) {
    if (p == null) {
      return;
    }
    if (nackReason != null) {
      fail(p, nackReason);
    } else {
      p.context().runOnContext(v -> p.promise().tryComplete());
    }
  }

  private void fail(Pending p, String why) {
    if (p != null) {
      NotConfirmedException e = new NotConfirmedException("publish to " + p.target() + " not confirmed: " + why);
      p.context().runOnContext(v -> p.promise().tryFail(e));
    }
  }

  private void failAll(String why) {
    for (Long seq : pending.keySet()) {
      fail(pending.remove(seq), why);
    }
  }

  private void sweep() {
    long limit = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().startedNanos() < limit && pending.remove(e.getKey(), e.getValue())) {
        fail(e.getValue(), "no confirm within " + confirmTimeoutMs + " ms");
      }
    }
  }
}
