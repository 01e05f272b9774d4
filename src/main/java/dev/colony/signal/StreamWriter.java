package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outgoing half of the bridge: XADDs pipelined, in publish order, on one dedicated connection. Signals
 * wait in a bounded queue while Redis is unreachable; when the connection drops, the ones whose reply never
 * came go back to the head of the queue and are sent again (receivers drop the duplicates by sequence number).
 * A full queue fails the publish and raises a resync here; once there is room again a resync signal is
 * published to the other nodes. Runs on the bridge's context only.
 */
final class StreamWriter extends Link {

  private static final Logger log = LoggerFactory.getLogger(StreamWriter.class);

  /** A signal on its way, and the promise of the publish that sent it. */
  private static final class Outgoing {
    final Envelope envelope;
    final Promise<Void> done;
    long sentAt;

    Outgoing(Envelope envelope, Promise<Void> done) {
      this.envelope = envelope;
      this.done = done;
    }
  }

  private final RedisSignals owner;
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final ArrayDeque<Outgoing> inflight = new ArrayDeque<>();
  private RedisConnection connection;
  private int epoch;
  private long seq;
  private boolean overflowing;
  private long overflows;
  private Promise<Void> drained;

  StreamWriter(Vertx vertx, RedisSignalsOptions options, RedisSignals owner, Runnable onStateChange) {
    super(vertx, options, "writer", onStateChange);
    this.owner = owner;
  }

  /** Queues {@code envelope} for the stream; {@code done} completes as {@link Signals#publish} documents. */
  void offer(Envelope envelope, Promise<Void> done) {
    if (closed() || drained != null) {
      done.fail(new IllegalStateException("signals closed"));
      return;
    }
    announceOverflow();
    if (queue.size() >= options.bufferCapacity()) {
      overflows++;
      if (!overflowing) {
        overflowing = true;
        log.warn("Signal buffer full ({} waiting for Redis): dropping new signals and raising resync",
          queue.size());
        owner.raiseResync("buffer-overflow", new JsonObject().put("capacity", options.bufferCapacity()));
      }
      done.fail(new SignalsOverflowException(options.bufferCapacity()));
      return;
    }
    Outgoing o = new Outgoing(envelope.withSeq(++seq), done);
    queue.add(o);
    if (connection == null) {
      done.tryComplete();
    }
    pump();
  }

  @Override
  void running(RedisConnection c, int e) {
    connection = c;
    epoch = e;
    if (!queue.isEmpty()) {
      log.info("Flushing {} buffered signal(s) to Redis", queue.size());
    }
    pump();
  }

  @Override
  void onLost() {
    connection = null;
    // Unanswered XADDs go back in front, in order: they may or may not have been appended.
    while (!inflight.isEmpty()) {
      queue.addFirst(inflight.pollLast());
    }
    queue.forEach(o -> o.done.tryComplete());
  }

  /** Fails the connection if the oldest unanswered XADD is past its deadline; called periodically. */
  void watchdog() {
    Outgoing head = inflight.peek();
    if (connection != null && head != null
      && System.nanoTime() - head.sentAt > TimeUnit.MILLISECONDS.toNanos(options.commandTimeoutMs())) {
      lost(epoch, new TimeoutException("XADD unanswered after " + options.commandTimeoutMs() + " ms"));
    }
  }

  /** Stops taking signals and completes once everything queued is in the stream (the caller bounds the wait). */
  Future<Void> drain() {
    if (drained == null) {
      drained = Promise.promise();
      checkDrained();
    }
    return drained.future();
  }

  int queued() {
    return queue.size() + inflight.size();
  }

  long overflows() {
    return overflows;
  }

  private void pump() {
    announceOverflow();
    while (connection != null && inflight.size() < options.maxInflight() && !queue.isEmpty()) {
      Outgoing o = queue.poll();
      o.sentAt = System.nanoTime();
      inflight.add(o);
      int e = epoch;
      connection.send(xadd(o.envelope)).onComplete(ar -> {
        if (!current(e)) {
          return;
        }
        if (ar.failed()) {
          lost(e, ar.cause());
          return;
        }
        inflight.remove(o);
        o.done.tryComplete();
        pump();
      });
    }
    checkDrained();
  }

  /** After an overflow, once there is room: tell the other nodes they missed signals from this one. */
  private void announceOverflow() {
    if (overflowing && queue.size() < options.bufferCapacity()) {
      overflowing = false;
      Envelope marker = new Envelope(owner.nodeId(), true, false, new JsonObject()
        .put("reason", "publisher-overflow").put("publisherId", owner.nodeId()), Signals.RESYNC,
        System.currentTimeMillis(), ++seq);
      queue.add(new Outgoing(marker, Promise.promise()));
    }
  }

  private void checkDrained() {
    if (drained != null && queue.isEmpty() && inflight.isEmpty()) {
      drained.tryComplete();
    }
  }

  private Request xadd(Envelope envelope) {
    return Request.cmd(Command.XADD).arg(options.streamKey()).arg("MAXLEN").arg("~").arg(options.streamMaxLen())
      .arg("*").arg(StreamReader.FIELD).arg(envelope.toJson().encode());
  }
}
