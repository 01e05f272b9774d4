package dev.colony.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The RabbitMQ adapter (DESIGN section 7), on the RabbitMQ Java client with automatic connection recovery. Per
 * channel ({@link RabbitNames}): a durable work queue of quorum type (classic durable where the broker refuses
 * quorum), a fanout dead-letter exchange bound to a classic durable dead-letter queue, and TTL retry queues at fixed
 * delay levels that dead-letter back into the work queue. Publishes are persistent, mandatory and confirmed.
 *
 * <p>Threads: blocking client calls run on two single threads of this queue, never on an event loop: "io" for
 * publishes, acks and nacks (fast writes), "admin" for RPCs (declarations, consumers, dead-letter browsing).
 *
 * <p>After a lost connection the client reconnects by itself (every second); its recovery listener then
 * re-declares the topology of every channel in use and re-registers the consumers. Publishes unconfirmed when the
 * connection dropped fail; deliveries being handled then are redelivered by the broker (their late acks are
 * dropped by the client), so a handler may see a message twice, never zero times.
 *
 * <p>Dead letters are browsed with basic.get without ack on a temporary channel that is then closed, which puts
 * them back in order (the dead-letter queue is classic for that reason); requeue takes messages the same way up to
 * the one wanted, republishes it (confirmed) and acks only that one. Browsing and requeueing of one queue instance
 * run one at a time; a concurrent browse from another node may briefly hide messages from this one.
 */
public final class RabbitQueue implements MessageQueue {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitQueue.class);
  /** Deadline of a confirm and of every broker RPC. */
  static final long CALL_TIMEOUT_MS = 10_000;
  /** The most dead letters one requeue scans for its id. */
  static final int REQUEUE_SCAN_LIMIT = 100_000;

  private final Vertx vertx;
  private final String app;
  private final RabbitNames names;
  private final Supplier<String> ids;
  private final ConnectionFactory factory;
  private final ExecutorService io;
  private final ExecutorService admin;
  private final Map<String, Future<Void>> topology = new ConcurrentHashMap<>();
  private final Map<String, Boolean> quorum = new ConcurrentHashMap<>();
  private final Map<String, Future<Void>> retryQueues = new ConcurrentHashMap<>();
  private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile Connection connection;
  private volatile RabbitPublisher publisher;
  private volatile boolean closed;

  private RabbitQueue(Vertx vertx, ConnectionFactory factory, String app, Supplier<String> ids) {
    this.vertx = vertx;
    this.factory = factory;
    this.app = app;
    this.names = new RabbitNames(app);
    this.ids = ids;
    this.io = Executors.newSingleThreadExecutor(r -> thread(r, "colony-rabbit-io-" + app));
    this.admin = Executors.newSingleThreadExecutor(r -> thread(r, "colony-rabbit-admin-" + app));
  }

  /**
   * Connects to {@code amqpUrl} (e.g. {@code amqp://guest:guest@localhost:5672}) for application {@code app}, with
   * message ids from {@code ids}. Fails if the broker cannot be reached within 10 s.
   *
   * @throws IllegalArgumentException if the URL is not an amqp(s) URL or the app name is not a valid channel name
   */
  public static Future<RabbitQueue> start(Vertx vertx, String amqpUrl, String app, Supplier<String> ids) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(ids, "ids");
    Channels.check(app);
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(amqpUrl);
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid RabbitMQ URL: expected amqp://user:password@host:5672[/vhost]");
    }
    factory.setAutomaticRecoveryEnabled(true);
    // Topology and consumers are re-declared by this class (it knows which queues and consumers are wanted).
    factory.setTopologyRecoveryEnabled(false);
    factory.setNetworkRecoveryInterval(1_000);
    factory.setConnectionTimeout((int) CALL_TIMEOUT_MS);
    factory.setHandshakeTimeout((int) CALL_TIMEOUT_MS);
    factory.setChannelRpcTimeout((int) CALL_TIMEOUT_MS);
    factory.setRequestedHeartbeat(10);
    RabbitQueue q = new RabbitQueue(vertx, factory, app, ids);
    return q.admin(() -> {
      q.connect();
      return q;
    }).onFailure(e -> q.shutdownThreads());
  }

  /** {@link #start(Vertx, String, String, Supplier)} with random unique message ids. */
  public static Future<RabbitQueue> start(Vertx vertx, String amqpUrl, String app) {
    return start(vertx, amqpUrl, app, Handlers::randomId);
  }

  private void connect() throws Exception {
    Connection c = factory.newConnection("colony-" + app);
    ((Recoverable) c).addRecoveryListener(new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recoverable) {
        LOG.info("RabbitMQ connection recovered; re-declaring topology and consumers");
        admin(() -> {
          recover();
          return null;
        }).onFailure(e -> LOG.warn("re-declaring after RabbitMQ recovery failed: {}", e.toString()));
      }

      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {
        LOG.warn("RabbitMQ connection lost; reconnecting");
      }
    });
    connection = c;
    publisher = new RabbitPublisher(vertx, io, c, CALL_TIMEOUT_MS);
  }

  /** After a reconnect (admin thread): the declared topology again, then the consumers that should run. */
  private void recover() throws IOException {
    for (String channel : topology.keySet()) {
      declare(channel);
    }
    for (String key : retryQueues.keySet()) {
      int dot = key.lastIndexOf('|');
      declareRetry(key.substring(0, dot), Long.parseLong(key.substring(dot + 1)));
    }
    for (RabbitSubscription s : subscriptions) {
      if (s.wantsConsumer()) {
        s.register();
      }
    }
  }

  RabbitNames names() {
    return names;
  }

  /** Whether the connection is up; false while reconnecting. */
  public boolean ready() {
    Connection c = connection;
    return !closed && c != null && c.isOpen();
  }

  @Override
  public Future<Void> ping() {
    return ready() ? Future.succeededFuture()
      : Future.failedFuture(new IllegalStateException(closed ? "queue closed" : "RabbitMQ connection is down"));
  }

  @Override
  public Future<String> publish(String channel, JsonObject payload, PublishOptions options) {
    Channels.check(channel);
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(options, "options");
    String id = ids.get();
    long now = System.currentTimeMillis();
    Map<String, Object> h = RabbitSubscription.headers(id, 1, now,
      options.maxRetries().isPresent() ? options.maxRetries().getAsInt() : null);
    byte[] body = payload.toBuffer().getBytes();
    Future<Void> sent;
    if (options.delayMs() > 0) {
      h.put(RabbitNames.H_DUE, now + options.delayMs());
      sent = delayed(channel, options.delayMs(), h, body);
    } else {
      sent = ensure(channel).compose(v -> publisher.send("", names.work(channel), h, body));
    }
    return sent.map(id);
  }

  /** Publishes to the retry queue of the level serving {@code delayMs} (the work queue if 0), confirmed. */
  Future<Void> delayed(String channel, long delayMs, Map<String, Object> headers, byte[] body) {
    if (delayMs <= 0) {
      return ensure(channel).compose(v -> publisher.send("", names.work(channel), headers, body));
    }
    long level = RabbitNames.level(delayMs);
    return ensure(channel).compose(v -> retryQueues.computeIfAbsent(channel + "|" + level, k -> admin(() -> {
      declareRetry(channel, level);
      return null;
    }).<Void>mapEmpty().onFailure(e -> retryQueues.remove(k))))
      .compose(v -> publisher.send("", names.retry(channel, level), headers, body));
  }

  /** Publishes to the channel's dead-letter exchange, confirmed. */
  Future<Void> sendDead(String channel, Map<String, Object> headers, byte[] body) {
    return ensure(channel).compose(v -> publisher.send(names.deadExchange(channel), "", headers, body));
  }

  @Override
  public Future<QueueSubscription> consume(String channel, Function<Message, Future<?>> handler,
                                           ConsumeOptions options) {
    Channels.check(channel);
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    if (closed) {
      return Future.failedFuture(new IllegalStateException("queue closed"));
    }
    Context context = vertx.getOrCreateContext();
    return ensure(channel).compose(v -> admin(() -> {
      Channel amqp = connection.createChannel();
      amqp.basicQos(options.concurrency());
      RabbitSubscription s = new RabbitSubscription(this, vertx, context, channel, amqp, handler, options);
      subscriptions.add(s);
      try {
        s.register();
      } catch (IOException | RuntimeException e) {
        subscriptions.remove(s);
        closeQuietly(amqp);
        throw e;
      }
      return s;
    }));
  }

  void forget(RabbitSubscription s) {
    subscriptions.remove(s);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(String channel, int limit) {
    Channels.check(channel);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return ensure(channel).compose(v -> admin(() -> {
      List<DeadLetter> out = new ArrayList<>();
      Channel ch = connection.createChannel();
      try {
        for (GetResponse r; out.size() < limit && (r = ch.basicGet(names.dead(channel), false)) != null; ) {
          out.add(toDeadLetter(channel, r));
        }
      } finally {
        closeQuietly(ch); // returns every message taken, in order
      }
      return out;
    }));
  }

  @Override
  public Future<Boolean> requeue(String channel, String messageId) {
    Channels.check(channel);
    Objects.requireNonNull(messageId, "messageId");
    return ensure(channel).compose(v -> admin(() -> {
      Channel ch = connection.createChannel();
      try {
        ch.confirmSelect();
        for (int i = 0; i < REQUEUE_SCAN_LIMIT; i++) {
          GetResponse r = ch.basicGet(names.dead(channel), false);
          if (r == null) {
            return false;
          }
          Map<String, Object> h = r.getProps().getHeaders();
          if (h != null && messageId.equals(String.valueOf(h.get(RabbitNames.H_ID)))) {
            long publishedAt = h.get(RabbitNames.H_PUBLISHED_AT) instanceof Number n ? n.longValue()
              : System.currentTimeMillis();
            Map<String, Object> fresh = RabbitSubscription.headers(messageId, 1, publishedAt,
              h.get(RabbitNames.H_MAX_RETRIES));
            ch.basicPublish("", names.work(channel), true, new AMQP.BasicProperties.Builder().deliveryMode(2)
              .contentType("application/json").messageId(messageId).headers(fresh).build(), r.getBody());
            ch.waitForConfirmsOrDie(CALL_TIMEOUT_MS);
            ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
            return true;
          }
        }
        return false;
      } finally {
        closeQuietly(ch);
      }
    }));
  }

  private static DeadLetter toDeadLetter(String channel, GetResponse r) {
    Map<String, Object> h = r.getProps().getHeaders() == null ? Map.of() : r.getProps().getHeaders();
    JsonObject payload;
    try {
      payload = new JsonObject(Buffer.buffer(r.getBody()));
    } catch (RuntimeException e) {
      payload = new JsonObject().put("unreadable", new String(r.getBody(), StandardCharsets.UTF_8));
    }
    return new DeadLetter(String.valueOf(h.get(RabbitNames.H_ID)), channel, payload,
      h.get(RabbitNames.H_ATTEMPT) instanceof Number n ? n.intValue() : 0,
      h.get(RabbitNames.H_ERROR) == null ? "unknown error" : h.get(RabbitNames.H_ERROR).toString(),
      h.get(RabbitNames.H_FAILED_AT) instanceof Number n ? n.longValue() : 0);
  }

  /** Deletes every queue and the exchange of {@code channel} (for tests and benchmarks). */
  public Future<Void> deleteChannel(String channel) {
    Channels.check(channel);
    return admin(() -> {
      for (String q : names.queues(channel)) {
        Channel ch = connection.createChannel();
        try {
          ch.queueDelete(q);
        } catch (IOException e) {
          // absent: nothing to delete
        } finally {
          closeQuietly(ch);
        }
      }
      Channel ch = connection.createChannel();
      try {
        ch.exchangeDelete(names.deadExchange(channel));
      } catch (IOException e) {
        // absent
      } finally {
        closeQuietly(ch);
      }
      topology.remove(channel);
      quorum.remove(channel);
      retryQueues.keySet().removeIf(k -> k.startsWith(channel + "|"));
      return null;
    });
  }

  /** Whether {@code channel}'s work queue is a quorum queue (null before it is declared). */
  Boolean isQuorum(String channel) {
    return quorum.get(channel);
  }

  @Override
  public Future<Void> close(long timeoutMs) {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    List<Future<Void>> stopping = new ArrayList<>();
    for (RabbitSubscription s : List.copyOf(subscriptions)) {
      stopping.add(s.close(timeoutMs));
    }
    return Future.join(stopping).transform(x -> {
      RabbitPublisher p = publisher;
      if (p != null) {
        p.close();
      }
      return Future.<Void>succeededFuture();
    }).transform(x -> admin(() -> {
      Connection c = connection;
      if (c != null && c.isOpen()) {
        c.close((int) CALL_TIMEOUT_MS);
      }
      return null;
    })).<Void>mapEmpty().eventually(() -> {
      shutdownThreads();
      return Future.succeededFuture();
    });
  }

  // ---- topology

  private Future<Void> ensure(String channel) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("queue closed"));
    }
    return topology.computeIfAbsent(channel, c -> admin(() -> {
      declare(c);
      return null;
    }).<Void>mapEmpty().onFailure(e -> topology.remove(c)));
  }

  /** Declares the dead-letter exchange and queue and the work queue of {@code channel} (admin thread). */
  private void declare(String channel) throws IOException {
    String dlx = names.deadExchange(channel);
    Channel ch = connection.createChannel();
    try {
      ch.exchangeDeclare(dlx, BuiltinExchangeType.FANOUT, true);
      ch.queueDeclare(names.dead(channel), true, false, false, null);
      ch.queueBind(names.dead(channel), dlx, "");
    } finally {
      closeQuietly(ch);
    }
    Boolean known = quorum.get(channel);
    if (known == null || known) {
      ch = connection.createChannel();
      try {
        ch.queueDeclare(names.work(channel), true, false, false, Map.of("x-queue-type", "quorum",
          "x-dead-letter-exchange", dlx));
        quorum.put(channel, true);
        return;
      } catch (IOException e) {
        if (known != null) {
          throw e;
        }
        LOG.warn("declaring {} as a quorum queue failed ({}); declaring it classic durable", names.work(channel),
          reason(e));
      } finally {
        closeQuietly(ch);
      }
    }
    ch = connection.createChannel();
    try {
      ch.queueDeclare(names.work(channel), true, false, false, Map.of("x-dead-letter-exchange", dlx));
      quorum.put(channel, false);
    } catch (IOException e) {
      throw new IOException("cannot declare queue " + names.work(channel) + ": " + reason(e), e);
    } finally {
      closeQuietly(ch);
    }
  }

  private void declareRetry(String channel, long level) throws IOException {
    Channel ch = connection.createChannel();
    try {
      ch.queueDeclare(names.retry(channel, level), true, false, false, Map.of("x-message-ttl", level,
        "x-dead-letter-exchange", "", "x-dead-letter-routing-key", names.work(channel)));
    } catch (IOException e) {
      throw new IOException("cannot declare queue " + names.retry(channel, level) + ": " + reason(e), e);
    } finally {
      closeQuietly(ch);
    }
  }

  private static String reason(IOException e) {
    return e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
      ? close.getReplyCode() + " " + close.getReplyText() : String.valueOf(e.getMessage());
  }

  // ---- threads

  /** Runs {@code call} on the admin thread; completes on the caller's context. */
  <T> Future<T> admin(Callable<T> call) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      admin.execute(() -> {
        try {
          T result = call.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RuntimeException rejected) {
      return Future.failedFuture(new IllegalStateException("queue closed"));
    }
    return promise.future();
  }

  interface ChannelCall {
    void run() throws Exception;
  }

  /** Runs a channel write (ack, nack) on the I/O thread; a failure (connection down) is left to redelivery. */
  void io(ChannelCall call) {
    try {
      io.execute(() -> {
        try {
          call.run();
        } catch (Exception e) {
          LOG.debug("channel write failed (the broker redelivers): {}", e.toString());
        }
      });
    } catch (RuntimeException rejected) {
      // closed: unacked deliveries are redelivered; run it here so a close still closes its channel
      try {
        call.run();
      } catch (Exception e) {
        LOG.debug("channel write failed after close: {}", e.toString());
      }
    }
  }

  private void shutdownThreads() {
    io.shutdown();
    admin.shutdown();
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (Exception e) {
      // already closed by the broker
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
