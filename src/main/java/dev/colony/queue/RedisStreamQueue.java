package dev.colony.queue;

import dev.colony.redis.RedisLink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The queue on Redis Streams, shared by every node. Channel {@code c} is the stream {@code <app>:queue:<c>}, read
 * through one consumer group named {@code <app>} in which each node is a consumer named by its node id.
 *
 * <ul>
 *   <li>Publish is an XADD (a ZADD into {@code <app>:queue:<c>:delayed}, scored by due time, when delayed),
 *   batched with the other publishes of the same event-loop turn; its future fails if Redis does not confirm
 *   within the deadline.</li>
 *   <li>Each subscription reads with XREADGROUP ... BLOCK on a dedicated connection, at most as many entries as it
 *   has free handler slots, and acknowledges with XACK, batched per event-loop turn.</li>
 *   <li>A failed or timed-out delivery is acknowledged and re-added, atomically, to the delayed set with its
 *   attempt count; a script on a timer moves due members back onto the stream. After the last retry the message is
 *   acknowledged and appended to the stream {@code <app>:queue:<c>:dead} (payload, error, attempts), indexed by
 *   message id in the hash {@code <app>:queue:<c>:dead-index} for requeueing.</li>
 *   <li>An entry pending longer than the handler timeout plus a margin belongs to a consumer that died; XAUTOCLAIM
 *   takes it over, and its delivery count (read with XPENDING in the same script) plus its own attempt field give
 *   the attempt number, so a message that keeps killing its consumers is dead-lettered too.</li>
 *   <li>Trimming: XTRIM MINID below both the group's oldest pending entry and its last delivered entry, computed
 *   and applied in one script. Everything below both was delivered and acknowledged; unread entries lie above the
 *   last delivered id and pending ones at or above the oldest pending id, so no unacknowledged message is ever
 *   trimmed. Trimming by MAXLEN instead would drop unread messages of a slow consumer, and XDEL after each XACK
 *   would cost a second command per batch for the same result.</li>
 *   <li>An entry whose payload is not a JSON object is dead-lettered at once with an error naming the entry.</li>
 *   <li>Due times are the publishing node's clock, compared with the consuming node's: across nodes a delay is as
 *   exact as their clocks agree (NTP). The dead-letter stream is never trimmed: dead letters wait for a person.</li>
 *   <li>A lost connection is reconnected with backoff; a group lost with the Redis data (NOGROUP) is created
 *   again (XGROUP CREATE ... 0 MKSTREAM).</li>
 * </ul>
 */
public final class RedisStreamQueue implements MessageQueue {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamQueue.class);
  private static final int MAX_PUBLISH_BATCH = 1000;

  private record Outgoing(Request request, Promise<Response> promise) {
  }

  final Vertx vertx;
  final Context context;
  final RedisQueueOptions options;
  private final Supplier<String> ids;
  final RedisLink link;
  private final Set<StreamConsumer> consumers = ConcurrentHashMap.newKeySet();
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private volatile boolean closing;

  private RedisStreamQueue(Vertx vertx, RedisQueueOptions options, Supplier<String> ids) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.ids = ids;
    this.link = new RedisLink(vertx, redisOptions(options, 1), options.callTimeoutMs(), "queue");
  }

  /** A queue on the Redis of {@code options}, with message ids from {@code ids}; call {@link #start()} first. */
  public static RedisStreamQueue create(Vertx vertx, RedisQueueOptions options, Supplier<String> ids) {
    return new RedisStreamQueue(Objects.requireNonNull(vertx), Objects.requireNonNull(options),
      Objects.requireNonNull(ids));
  }

  /** As {@link #create(Vertx, RedisQueueOptions, Supplier)} with random unique ids. */
  public static RedisStreamQueue create(Vertx vertx, RedisQueueOptions options) {
    return create(vertx, options, Handlers::randomId);
  }

  /** Pings Redis; fails if it does not answer within the deadline. */
  public Future<RedisStreamQueue> start() {
    return ping().map(v -> this);
  }

  /** PING with the call deadline. */
  @Override
  public Future<Void> ping() {
    return link.ping();
  }

  @Override
  public Future<String> publish(String channel, JsonObject payload, PublishOptions options) {
    Channels.check(channel);
    if (payload == null || options == null) {
      throw new IllegalArgumentException("payload and options must not be null");
    }
    if (closing) {
      return Future.failedFuture(new IllegalStateException("queue is closed; not publishing to " + channel));
    }
    String id = ids.get();
    long now = System.currentTimeMillis();
    List<String> fields = StreamEntry.fields(id, payload.encode(), now, 0,
      options.maxRetries().isPresent() ? options.maxRetries().getAsInt() : null);
    Request request;
    if (options.delayMs() > 0) {
      request = Request.cmd(Command.ZADD).arg(delayedKey(channel)).arg(now + options.delayMs())
        .arg(StreamEntry.member(fields));
    } else {
      request = Request.cmd(Command.XADD).arg(streamKey(channel)).arg("*");
      fields.forEach(request::arg);
    }
    return publishBatched(request).map(r -> id);
  }

  @Override
  public Future<QueueSubscription> consume(String channel, Function<Message, Future<?>> handler,
                                           ConsumeOptions options) {
    Channels.check(channel);
    if (handler == null || options == null) {
      throw new IllegalArgumentException("handler and options must not be null");
    }
    if (closing) {
      return Future.failedFuture(new IllegalStateException("queue is closed; not consuming " + channel));
    }
    StreamConsumer c = new StreamConsumer(this, channel, handler, options);
    consumers.add(c);
    Promise<QueueSubscription> started = Promise.promise();
    context.runOnContext(v -> c.start().map(x -> (QueueSubscription) c).onComplete(started));
    return started.future().onFailure(e -> consumers.remove(c));
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(String channel, int limit) {
    Channels.check(channel);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    return link.send(Request.cmd(Command.XRANGE).arg(deadKey(channel)).arg("-").arg("+").arg("COUNT").arg(limit))
      .map(r -> {
        List<DeadLetter> out = new ArrayList<>();
        for (Response entry : r) {
          Map<String, String> f = fields(entry.get(1));
          StreamEntry e = StreamEntry.parse(entry.get(0).toString(), f);
          out.add(new DeadLetter(e.id(), channel, e.deadPayload(), parseInt(f.get("attempts")), f.get("error"),
            parseLong(f.get("failedAt"))));
        }
        return out;
      });
  }

  @Override
  public Future<Boolean> requeue(String channel, String messageId) {
    Channels.check(channel);
    if (messageId == null) {
      throw new IllegalArgumentException("messageId must not be null");
    }
    return link.eval(QueueScripts.REQUEUE, List.of(streamKey(channel), deadKey(channel), deadIndexKey(channel)),
      List.of(messageId)).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> close(long timeoutMs) {
    closing = true;
    List<Future<Void>> closes = new ArrayList<>();
    for (StreamConsumer c : consumers) {
      closes.add(c.close(timeoutMs));
    }
    Future<Void> drained = Future.join(closes).timeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)
      .<Void>mapEmpty().recover(e -> {
        log.warn("Queue handlers still running after {} ms; their messages stay pending and will be claimed"
          + " by another consumer: {}", timeoutMs, e.getMessage());
        return Future.succeededFuture();
      });
    return drained.eventually(link::close);
  }

  /** Counts per channel consumed here: running handlers, buffered entries, deliveries, dead letters. */
  public JsonObject stats() {
    JsonObject out = new JsonObject();
    for (StreamConsumer c : consumers) {
      out.put(c.channel(), c.stats());
    }
    return out;
  }

  void removed(StreamConsumer c) {
    consumers.remove(c);
  }

  boolean closing() {
    return closing;
  }

  // ---- keys

  String streamKey(String channel) {
    return options.app() + ":queue:" + channel;
  }

  String delayedKey(String channel) {
    return streamKey(channel) + ":delayed";
  }

  String deadKey(String channel) {
    return streamKey(channel) + ":dead";
  }

  String deadIndexKey(String channel) {
    return streamKey(channel) + ":dead-index";
  }

  String group() {
    return options.app();
  }

  // ---- commands

  /**
   * Publishes go out in batches: those made within one event-loop turn are written together (one write, one
   * flush), which is what lets a single connection keep up. If Redis rejects one command of a batch, every publish
   * of that batch fails (each caller knows, and may publish again).
   */
  private Future<Response> publishBatched(Request request) {
    Promise<Response> p = Promise.promise();
    outbox.add(new Outgoing(request, p));
    if (flushScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flushOutbox());
    }
    return p.future();
  }

  private void flushOutbox() {
    flushScheduled.set(false);
    List<Outgoing> batch = new ArrayList<>();
    for (Outgoing o; batch.size() < MAX_PUBLISH_BATCH && (o = outbox.poll()) != null; ) {
      batch.add(o);
    }
    if (!outbox.isEmpty() && flushScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flushOutbox());
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Request> requests = new ArrayList<>(batch.size());
    batch.forEach(o -> requests.add(o.request()));
    link.batch(requests)
      .onComplete(ar -> {
        // The client fails a batch with its own Throwable types (not Exceptions): callers get one clear exception.
        Throwable failure = ar.failed() ? new IllegalStateException("Redis did not confirm the publish: "
          + Handlers.describe(ar.cause()), ar.cause()) : null;
        for (int i = 0; i < batch.size(); i++) {
          if (failure == null) {
            batch.get(i).promise().tryComplete(ar.result().get(i));
          } else {
            batch.get(i).promise().tryFail(failure);
          }
        }
      });
  }

  static RedisOptions redisOptions(RedisQueueOptions o, int poolSize) {
    return new RedisOptions()
      .setConnectionString(o.url())
      .setMaxPoolSize(poolSize)
      .setMaxPoolWaiting(16)
      .setMaxWaitingHandlers(65_536)
      .setPreferredProtocolVersion(ProtocolVersion.RESP2)
      .setNetClientOptions(new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, o.callTimeoutMs()))
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
  }

  static Map<String, String> fields(Response flat) {
    Map<String, String> f = new HashMap<>();
    if (flat != null) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        f.put(flat.get(i).toString(), flat.get(i + 1) == null ? null : flat.get(i + 1).toString());
      }
    }
    return f;
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
