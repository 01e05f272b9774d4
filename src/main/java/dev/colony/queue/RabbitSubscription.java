package dev.colony.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static dev.colony.queue.RabbitNames.H_ATTEMPT;
import static dev.colony.queue.RabbitNames.H_DUE;
import static dev.colony.queue.RabbitNames.H_ERROR;
import static dev.colony.queue.RabbitNames.H_FAILED_AT;
import static dev.colony.queue.RabbitNames.H_ID;
import static dev.colony.queue.RabbitNames.H_MAX_RETRIES;
import static dev.colony.queue.RabbitNames.H_PUBLISHED_AT;

/**
 * One consumer of a channel's work queue, on its own AMQP channel with manual ack and prefetch = concurrency (the
 * prefetch is what bounds the handlers running at once). Deliveries are handled on {@code context}. A failed or
 * timed-out handler's message is republished (confirmed) to a retry TTL queue with attempt + 1, or to the
 * dead-letter exchange once its retries are spent, and only then acked; if that republish fails the delivery is
 * nacked back onto the queue. A body that is not a JSON object is dead-lettered at once.
 */
final class RabbitSubscription implements QueueSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);

  private final RabbitQueue queue;
  private final Vertx vertx;
  private final Context context;
  private final String channel;
  private final Function<Message, Future<?>> handler;
  private final ConsumeOptions options;
  private final Channel amqp;
  private volatile String consumerTag;
  // Context-confined state.
  private boolean paused;
  private boolean closing;
  private int inFlight;
  private Promise<Void> drained;
  /** Delivery tags not yet settled, in delivery order; the value is true once the handler path acked it. */
  private final TreeMap<Long, Boolean> unsettled = new TreeMap<>();
  /** The highest tag up to which every delivery is acked but the broker not yet told; 0 = nothing to send. */
  private long ackUpTo;
  private boolean flushScheduled;

  RabbitSubscription(RabbitQueue queue, Vertx vertx, Context context, String channel, Channel amqp,
                     Function<Message, Future<?>> handler, ConsumeOptions options) {
    this.queue = queue;
    this.vertx = vertx;
    this.context = context;
    this.channel = channel;
    this.amqp = amqp;
    this.handler = handler;
    this.options = options;
  }

  /** Registers the broker consumer (blocking: on the admin thread). Called at start, on resume and after a reconnect. */
  void register() throws java.io.IOException {
    consumerTag = amqp.basicConsume(queue.names().work(channel), false, new DefaultConsumer(amqp) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        context.runOnContext(v -> onDelivery(envelope.getDeliveryTag(), envelope.isRedeliver(), props, body));
      }
    });
  }

  /** Cancels the broker consumer (blocking: on the admin thread); buffered deliveries are nacked as they arrive. */
  void cancel() {
    String tag = consumerTag;
    consumerTag = null;
    if (tag != null && amqp.isOpen()) {
      try {
        amqp.basicCancel(tag);
      } catch (Exception e) {
        LOG.debug("basic.cancel of {} failed: {}", channel, e.toString());
      }
    }
  }

  boolean wantsConsumer() {
    return !closing && !paused;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public void pause() {
    context.runOnContext(v -> {
      if (!paused && !closing) {
        paused = true;
        queue.admin(() -> {
          cancel();
          return null;
        });
      }
    });
  }

  @Override
  public void resume() {
    context.runOnContext(v -> {
      if (paused && !closing) {
        paused = false;
        queue.admin(() -> {
          if (consumerTag == null && amqp.isOpen()) {
            register();
          }
          return null;
        }).onFailure(e -> LOG.warn("resuming the consumer of {} failed: {}", channel, e.toString()));
      }
    });
  }

  @Override
  public Future<Void> close() {
    return close(options.timeoutMs());
  }

  /** Cancels, waits up to {@code timeoutMs} for running handlers, then closes the channel (unacked are requeued). */
  Future<Void> close(long timeoutMs) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closing = true;
      if (drained == null) {
        drained = Promise.promise();
      }
      if (inFlight == 0) {
        drained.tryComplete();
      }
      long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> drained.tryComplete());
      queue.admin(() -> {
        cancel();
        return null;
      }).transform(x -> drained.future()).onComplete(x -> context.runOnContext(y -> {
        vertx.cancelTimer(timer);
        queue.forget(this);
        flushAcks();
        // On the I/O thread, after the acks queued before it; what is unacked then is requeued by the broker.
        queue.io(() -> {
          try {
            if (amqp.isOpen()) {
              amqp.close();
            }
          } finally {
            context.runOnContext(z -> done.complete());
          }
        });
      }));
    });
    return done.future();
  }

  private void onDelivery(long tag, boolean redelivered, AMQP.BasicProperties props, byte[] body) {
    if (paused || closing) {
      queue.io(() -> amqp.basicNack(tag, false, true));
      return;
    }
    unsettled.put(tag, false);
    Map<String, Object> h = props.getHeaders() == null ? Map.of() : props.getHeaders();
    String id = text(h.get(H_ID), props.getMessageId());
    if (id == null) {
      id = Handlers.randomId();
    }
    int attempt = (int) number(h.get(H_ATTEMPT), 1) + redeliveries(h, redelivered);
    long publishedAt = number(h.get(H_PUBLISHED_AT), System.currentTimeMillis());
    long maxRetries = number(h.get(H_MAX_RETRIES), options.maxRetries());
    JsonObject payload;
    try {
      payload = new JsonObject(Buffer.buffer(body));
    } catch (RuntimeException e) {
      String raw = new String(body, StandardCharsets.UTF_8);
      settle(tag, deadLetter(id, new JsonObject().put("unreadable", raw), body, publishedAt, attempt,
        "payload is not a JSON object: " + e.getMessage()));
      return;
    }
    long due = number(h.get(H_DUE), 0);
    long now = System.currentTimeMillis();
    if (due > now) {
      Map<String, Object> again = new HashMap<>(h);
      again.remove("x-death");
      again.remove("x-delivery-count");
      settle(tag, queue.delayed(channel, due - now, again, body));
      return;
    }
    if (attempt > maxRetries + 1) {
      settle(tag, deadLetter(id, payload, body, publishedAt, attempt - 1, "delivered " + (attempt - 1)
        + " times without an ack (a consumer died or its connection was lost mid-handler)"));
      return;
    }
    String messageId = id;
    inFlight++;
    Handlers.run(vertx, context, handler, new Message(id, channel, payload, attempt, publishedAt), options.timeoutMs())
      .transform(ar -> {
        if (ar.succeeded()) {
          return Future.<Void>succeededFuture();
        }
        String error = Handlers.describe(ar.cause());
        if (attempt <= maxRetries) {
          Map<String, Object> retry = headers(messageId, attempt + 1, publishedAt, h.get(H_MAX_RETRIES));
          retry.put(H_ERROR, error);
          return queue.delayed(channel, options.retryDelayMs(attempt), retry, body);
        }
        return deadLetter(messageId, payload, body, publishedAt, attempt, error);
      })
      .onComplete(ar -> {
        settleNow(tag, ar.succeeded());
        inFlight--;
        if (closing && inFlight == 0 && drained != null) {
          drained.tryComplete();
        }
      });
  }

  private Future<Void> deadLetter(String id, JsonObject payload, byte[] body, long publishedAt, int attempts,
                                  String error) {
    Map<String, Object> h = headers(id, attempts, publishedAt, null);
    h.put(H_ERROR, error);
    h.put(H_FAILED_AT, System.currentTimeMillis());
    return queue.sendDead(channel, h, body);
  }

  private void settle(long tag, Future<Void> republished) {
    republished.onComplete(ar -> settleNow(tag, ar.succeeded()));
  }

  /**
   * Acks, or (when the republish failed) nacks the delivery back onto the queue. Acks are coalesced: once every
   * delivery up to a tag is acked, one multiple-ack for that tag goes out at the end of the event-loop turn.
   */
  private void settleNow(long tag, boolean ack) {
    if (!ack) {
      unsettled.remove(tag);
      queue.io(() -> amqp.basicNack(tag, false, true));
    } else if (unsettled.containsKey(tag)) {
      unsettled.put(tag, true);
    } else {
      queue.io(() -> amqp.basicAck(tag, false));
      return;
    }
    while (!unsettled.isEmpty() && unsettled.firstEntry().getValue()) {
      ackUpTo = unsettled.pollFirstEntry().getKey();
    }
    if (ackUpTo > 0 && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flushAcks();
      });
    }
  }

  private void flushAcks() {
    long upTo = ackUpTo;
    ackUpTo = 0;
    if (upTo > 0) {
      queue.io(() -> amqp.basicAck(upTo, true));
    }
  }

  static Map<String, Object> headers(String id, int attempt, long publishedAt, Object maxRetries) {
    Map<String, Object> h = new HashMap<>();
    h.put(H_ID, id);
    h.put(H_ATTEMPT, attempt);
    h.put(H_PUBLISHED_AT, publishedAt);
    if (maxRetries != null) {
      h.put(H_MAX_RETRIES, maxRetries);
    }
    return h;
  }

  /** Deliveries of this copy before this one: the quorum queue's count, else 1 if the broker flags a redelivery. */
  private static int redeliveries(Map<String, Object> h, boolean redelivered) {
    Object count = h.get("x-delivery-count");
    if (count instanceof Number n) {
      return n.intValue();
    }
    return redelivered ? 1 : 0;
  }

  private static long number(Object value, long absent) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value != null) {
      try {
        return Long.parseLong(value.toString());
      } catch (NumberFormatException e) {
        return absent;
      }
    }
    return absent;
  }

  private static String text(Object value, String absent) {
    return value == null ? absent : value.toString();
  }
}
