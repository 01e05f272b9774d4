package dev.colony.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes with confirms on one channel of the queue's connection. Every publish is mandatory and waits for the
 * broker's ack of its sequence number; a nack, a return (unroutable), the channel or connection going down before
 * the ack, or no ack within {@code confirmTimeoutMs} fails it. Channel writes run on the queue's I/O thread, never
 * on an event loop (publishes queued meanwhile go out in one task); futures complete on the caller's context.
 */
final class RabbitPublisher {

  /** Failure of a publish the broker did not confirm. */
  static final class NotConfirmedException extends RuntimeException {
    NotConfirmedException(String message) {
      super(message, null, false, false);
    }
  }

  private record Outgoing(Context context, Promise<Void> promise, String exchange, String routingKey,
                          Map<String, Object> headers, byte[] body) {
    String target() {
      return exchange.isEmpty() ? routingKey : exchange;
    }
  }

  private record Pending(Outgoing message, long startedNanos) {
  }

  private final Vertx vertx;
  private final ExecutorService io;
  private final long confirmTimeoutMs;
  /** Keyed by {@link #key}: the connection generation in the high bits, the channel's sequence number below. */
  private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
  /** Bumped when the channel goes down: sequence numbers restart after a reconnect and must not match old ones. */
  private final AtomicLong generation = new AtomicLong();
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Channel channel;
  private final long sweeper;
  private volatile boolean closed;

  /** Opens the channel (blocking: call off the event loop). */
  RabbitPublisher(Vertx vertx, ExecutorService io, Connection connection, long confirmTimeoutMs) throws IOException {
    this.vertx = vertx;
    this.io = io;
    this.confirmTimeoutMs = confirmTimeoutMs;
    this.channel = connection.createChannel();
    channel.confirmSelect();
    channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
      (tag, multiple) -> settle(tag, multiple, "nacked by the broker"));
    channel.addReturnListener(r -> {
      Map<String, Object> h = r.getProperties().getHeaders();
      if (h != null && h.get(RabbitNames.H_SEQ) instanceof Number seq) {
        Pending p = pending.remove(key(generation.get(), seq.longValue()));
        if (p != null) {
          fail(p.message(), "unroutable: returned by the broker (" + r.getReplyCode() + " " + r.getReplyText()
            + ")");
        }
      }
    });
    // With automatic recovery the listener stays on the channel across reconnects; sequence numbers restart.
    channel.addShutdownListener(cause -> {
      generation.incrementAndGet();
      failPending("connection lost before the broker confirmed (" + cause.getMessage() + ")");
    });
    this.sweeper = vertx.setPeriodic(1_000, t -> sweep());
  }

  /**
   * Publishes {@code body} to {@code exchange} with {@code routingKey}, persistent and mandatory, with
   * {@code headers} (a mutable map the caller hands over: the sequence number is added to it); succeeds once the
   * broker confirms it.
   */
  Future<Void> send(String exchange, String routingKey, Map<String, Object> headers, byte[] body) {
    if (closed) {
      return Future.failedFuture(new NotConfirmedException("publish to " + routingKey + " not sent: queue closed"));
    }
    Promise<Void> promise = Promise.promise();
    outbox.add(new Outgoing(vertx.getOrCreateContext(), promise, exchange, routingKey, headers, body));
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        io.execute(this::drain);
      } catch (RuntimeException rejected) {
        failOutbox("queue closed");
      }
    }
    return promise.future();
  }

  /** On the I/O thread: every publish queued so far. */
  private void drain() {
    drainScheduled.set(false);
    for (Outgoing m; (m = outbox.poll()) != null; ) {
      long seq = channel.getNextPublishSeqNo();
      long key = key(generation.get(), seq);
      Map<String, Object> h = m.headers(); // the caller's fresh map, handed over
      h.put(RabbitNames.H_SEQ, seq);
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json")
        .messageId(String.valueOf(m.headers().get(RabbitNames.H_ID))).headers(h).build();
      pending.put(key, new Pending(m, System.nanoTime()));
      try {
        channel.basicPublish(m.exchange(), m.routingKey(), true, props, m.body());
      } catch (Exception e) {
        if (pending.remove(key) != null) {
          fail(m, "publish failed (" + e.getMessage() + ")");
        }
      }
    }
  }

  /** Fails what is queued or unconfirmed; later publishes fail at once. */
  void close() {
    closed = true;
    vertx.cancelTimer(sweeper);
    failOutbox("queue closed");
    failPending("queue closed before the broker confirmed");
  }

  private static long key(long generation, long seq) {
    return (generation << 40) | seq;
  }

  private void settle(long tag, boolean multiple, String nackReason) {
    long gen = generation.get();
    List<Outgoing> done = new ArrayList<>();
    if (multiple) {
      for (Map.Entry<Long, Pending> e : pending.subMap(key(gen, 0), true, key(gen, tag), true).entrySet()) {
        if (pending.remove(e.getKey(), e.getValue())) {
          done.add(e.getValue().message());
        }
      }
    } else {
      Pending p = pending.remove(key(gen, tag));
      if (p != null) {
        done.add(p.message());
      }
    }
    if (nackReason != null) {
      done.forEach(m -> fail(m, nackReason));
      return;
    }
    // One hop per context, not per message.
    Map<Context, List<Promise<Void>>> byContext = new IdentityHashMap<>();
    for (Outgoing m : done) {
      byContext.computeIfAbsent(m.context(), c -> new ArrayList<>()).add(m.promise());
    }
    byContext.forEach((context, promises) -> context.runOnContext(v -> promises.forEach(Promise::tryComplete)));
  }

  private void fail(Outgoing m, String why) {
    NotConfirmedException e = new NotConfirmedException("publish to " + m.target() + " not confirmed: " + why);
    m.context().runOnContext(v -> m.promise().tryFail(e));
  }

  private void failOutbox(String why) {
    for (Outgoing m; (m = outbox.poll()) != null; ) {
      fail(m, why);
    }
  }

  private void failPending(String why) {
    for (Long key : pending.keySet()) {
      Pending p = pending.remove(key);
      if (p != null) {
        fail(p.message(), why);
      }
    }
  }

  private void sweep() {
    long limit = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().startedNanos() < limit && pending.remove(e.getKey(), e.getValue())) {
        fail(e.getValue().message(), "no confirm within " + confirmTimeoutMs + " ms");
      }
    }
  }
}
