package dev.colony.queue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One subscription of a {@link RedisStreamQueue}: a read loop on a dedicated connection that never holds more
 * entries than it has free handler slots, the settling of each delivery (XACK batched per event-loop turn; retry,
 * dead letter and release by script), and three timers: claim entries of dead consumers, move due delayed members,
 * trim. Runs on the queue's context only; {@link #stats()} reads its counters from anywhere, approximately.
 */
final class StreamConsumer implements QueueSubscription {

  private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
  private static final int MAX_BATCH = 1000;
  private static final int MOVE_BATCH = 200;
  private static final long RECONNECT_MIN_MS = 200;
  private static final long RECONNECT_MAX_MS = 5_000;
  /** A consumer with nothing pending, idle this long, is removed from the group when trimming. */
  private static final long STALE_CONSUMER_MS = 3_600_000;

  private record Pending(StreamEntry entry, int attempt) {
  }

  private final RedisStreamQueue queue;
  private final Vertx vertx;
  private final Context context;
  private final RedisQueueOptions ro;
  private final String channel;
  private final Function<Message, Future<?>> handler;
  private final ConsumeOptions options;
  private final String stream;
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private final List<String> acks = new ArrayList<>();
  private final Set<Future<?>> settling = new HashSet<>();
  private Redis readerClient;
  private RedisConnection reader;
  private int epoch;
  private boolean reading;
  private boolean paused;
  private boolean closed;
  private boolean ackScheduled;
  private boolean pumpScheduled;
  private boolean claiming;
  private boolean moving;
  private boolean trimming;
  private boolean warned;
  private long reconnectDelay = RECONNECT_MIN_MS;
  private int running;
  private String claimCursor = "0-0";
  private long claimTimer = -1;
  private long moveTimer = -1;
  private long trimTimer = -1;
  private Promise<Void> done;
  private long delivered;
  private long acked;
  private long retried;
  private long dead;
  private long claimed;

  StreamConsumer(RedisStreamQueue queue, String channel, Function<Message, Future<?>> handler,
                 ConsumeOptions options) {
    this.queue = queue;
    this.vertx = queue.vertx;
    this.context = queue.context;
    this.ro = queue.options;
    this.channel = channel;
    this.handler = handler;
    this.options = options;
    this.stream = queue.streamKey(channel);
  }

  /** Creates the group if needed and connects the reader; fails if Redis does not answer. On the context. */
  Future<Void> start() {
    return ensureGroup().compose(v -> connectReader()).onSuccess(v -> {
      claimTimer = vertx.setPeriodic(ro.claimIntervalMs(), t -> claim());
      moveTimer = vertx.setPeriodic(ro.delayedPollMs(), t -> moveDue());
      trimTimer = vertx.setPeriodic(ro.trimIntervalMs(), t -> trim());
      moveDue();
    }).onFailure(e -> {
      closed = true;
      closeReader();
    });
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public void pause() {
    context.runOnContext(v -> {
      paused = true;
      releaseBuffered();
    });
  }

  @Override
  public void resume() {
    context.runOnContext(v -> {
      paused = false;
      pump();
    });
  }

  @Override
  public Future<Void> close() {
    return close(options.timeoutMs());
  }

  /** Stops reading, releases what was read but not started, waits for running handlers (bounded by their timeout). */
  Future<Void> close(long timeoutMs) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (done == null) {
        closed = true;
        done = Promise.promise();
        vertx.cancelTimer(claimTimer);
        vertx.cancelTimer(moveTimer);
        vertx.cancelTimer(trimTimer);
        closeReader();
        releaseBuffered();
        checkDone();
      }
      done.future().onComplete(p);
    });
    return p.future();
  }

  JsonObject stats() {
    return new JsonObject().put("running", running).put("buffered", buffer.size()).put("delivered", delivered)
      .put("acked", acked).put("retried", retried).put("dead", dead).put("claimed", claimed)
      .put("paused", paused).put("connected", reader != null);
  }

  // ---- reading

  private Future<Void> ensureGroup() {
    return queue.link.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(queue.group()).arg("0")
        .arg("MKSTREAM"))
      .<Void>mapEmpty()
      .recover(e -> e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP")
        ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private Future<Void> connectReader() {
    int e = ++epoch;
    Redis c = Redis.createClient(vertx, RedisStreamQueue.redisOptions(ro, 1));
    readerClient = c;
    return c.connect().timeout(ro.callTimeoutMs(), TimeUnit.MILLISECONDS).compose(conn -> {
      if (e != epoch || closed) {
        c.close();
        return Future.succeededFuture();
      }
      reader = conn;
      reading = false;
      conn.exceptionHandler(t -> onContext(() -> lost(e, t)));
      conn.endHandler(v -> onContext(() -> lost(e, new IOException("connection closed"))));
      reconnectDelay = RECONNECT_MIN_MS;
      if (warned) {
        warned = false;
        log.info("Queue consumer of {} reconnected to Redis", channel);
      }
      pump();
      return Future.<Void>succeededFuture();
    }).onFailure(t -> c.close());
  }

  /** The reader of epoch {@code e} failed: drop it and reconnect with backoff. */
  private void lost(int e, Throwable cause) {
    if (e != epoch || closed) {
      return;
    }
    epoch++;
    closeReader();
    if (!warned) {
      warned = true;
      log.warn("Queue consumer of {} lost Redis ({}); reconnecting with backoff", channel, String.valueOf(cause));
    }
    reconnectLater();
  }

  private void reconnectLater() {
    long delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    vertx.setTimer(delay, t -> {
      if (!closed) {
        connectReader().onFailure(x -> onContext(this::reconnectLater));
      }
    });
  }

  private void closeReader() {
    reader = null;
    reading = false;
    Redis c = readerClient;
    readerClient = null;
    if (c != null) {
      c.close();
    }
  }

  /** Starts what the buffer holds, then reads as many entries as there are free slots. */
  private void pump() {
    if (closed) {
      return;
    }
    drain();
    int free = options.concurrency() - running - buffer.size();
    if (paused || reading || reader == null || free <= 0) {
      return;
    }
    reading = true;
    int e = epoch;
    Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(queue.group()).arg(ro.consumer())
      .arg("COUNT").arg(Math.min(free, MAX_BATCH)).arg("BLOCK").arg(ro.blockMs())
      .arg("STREAMS").arg(stream).arg(">");
    whenDone(reader.send(read).timeout(ro.blockMs() + ro.callTimeoutMs(), TimeUnit.MILLISECONDS), ar -> {
      if (ar.succeeded()) {
        accept(ar.result());
      }
      if (e != epoch) {
        return;
      }
      reading = false;
      if (ar.succeeded()) {
        pump();
      } else if (isNoGroup(ar.cause())) {
        log.warn("Queue group {} of {} is gone (Redis lost its data?); creating it again", queue.group(), stream);
        whenDone(ensureGroup(), g -> {
          if (g.failed()) {
            lost(e, g.cause());
          } else {
            pump();
          }
        });
      } else {
        lost(e, ar.cause());
      }
    });
  }

  /** Entries from XREADGROUP: {@code [[stream, [[id, [field, value...]], ...]]]}, or null after the block. */
  private void accept(Response response) {
    if (response == null) {
      return;
    }
    for (Response s : response) {
      for (Response entry : s.get(1)) {
        if (entry == null || entry.get(1) == null) {
          continue;
        }
        StreamEntry e = StreamEntry.parse(entry.get(0).toString(), RedisStreamQueue.fields(entry.get(1)));
        take(new Pending(e, e.before() + 1));
      }
    }
  }

  private void take(Pending p) {
    if (paused || closed) {
      release(p);
    } else {
      buffer.add(p);
    }
  }

  private void drain() {
    while (!paused && !closed && running < options.concurrency() && !buffer.isEmpty()) {
      run(buffer.poll());
    }
  }

  // ---- handling and settling

  private void run(Pending p) {
    StreamEntry e = p.entry();
    if (e.error() != null) {
      deadLetter(p, e.error());
      return;
    }
    int max = e.maxRetries() != null ? e.maxRetries() : options.maxRetries();
    if (p.attempt() > max + 1) {
      deadLetter(p, "delivered " + p.attempt() + " times without completing (its consumers died or lost Redis)");
      return;
    }
    running++;
    delivered++;
    Message m = new Message(e.id(), channel, e.payload(), p.attempt(), e.publishedAt());
    Handlers.run(vertx, context, handler, m, options.timeoutMs()).onComplete(ar -> {
      running--;
      if (ar.succeeded()) {
        ack(e.streamId());
      } else if (p.attempt() <= max) {
        retry(p, options.retryDelayMs(p.attempt()), p.attempt());
        retried++;
      } else {
        deadLetter(p, Handlers.describe(ar.cause()));
      }
      if (closed) {
        checkDone();
      } else {
        schedulePump();
      }
    });
  }

  /** Pumps once at the end of this turn, however many deliveries completed in it (and without recursion). */
  private void schedulePump() {
    if (!pumpScheduled) {
      pumpScheduled = true;
      context.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
  }

  private void ack(String streamId) {
    acks.add(streamId);
    if (!ackScheduled) {
      ackScheduled = true;
      context.runOnContext(v -> flushAcks());
    }
  }

  private Future<?> flushAcks() {
    ackScheduled = false;
    if (acks.isEmpty()) {
      return Future.succeededFuture();
    }
    Request xack = Request.cmd(Command.XACK).arg(stream).arg(queue.group());
    acks.forEach(xack::arg);
    int n = acks.size();
    acks.clear();
    return settle(queue.link.send(xack).onSuccess(r -> acked += n), "acknowledging " + n + " message(s)");
  }

  /** Acknowledges the entry and re-adds it to the delayed set, due in {@code delayMs}, after {@code deliveries}. */
  private void retry(Pending p, long delayMs, int deliveries) {
    settle(queue.link.eval(QueueScripts.RETRY, List.of(stream, queue.delayedKey(channel)), List.of(queue.group(),
      p.entry().streamId(), Long.toString(System.currentTimeMillis() + delayMs),
      StreamEntry.member(p.entry().retryFields(deliveries)))), "scheduling a retry of " + p.entry().id());
  }

  /** Gives back an entry that was read but not started: due at once, its delivery not counted. */
  private void release(Pending p) {
    if (p.entry().error() != null) {
      deadLetter(p, p.entry().error());
    } else {
      retry(p, 0, p.attempt() - 1);
    }
  }

  private void releaseBuffered() {
    while (!buffer.isEmpty()) {
      release(buffer.poll());
    }
  }

  private void deadLetter(Pending p, String error) {
    StreamEntry e = p.entry();
    List<String> args = new ArrayList<>(List.of(queue.group(), e.streamId(), e.id(),
      "id", e.id(), "p", e.rawPayload() == null ? "" : e.rawPayload(), "t", Long.toString(e.publishedAt())));
    if (e.maxRetries() != null) {
      args.add("r");
      args.add(e.maxRetries().toString());
    }
    args.addAll(List.of("error", error, "attempts", Integer.toString(p.attempt()),
      "failedAt", Long.toString(System.currentTimeMillis()), "streamId", e.streamId()));
    dead++;
    log.warn("Queue message {} of {} dead-lettered after {} attempt(s): {}", e.id(), channel, p.attempt(), error);
    List<String> keys = List.of(stream, queue.deadKey(channel), queue.deadIndexKey(channel));
    settle(queue.link.eval(QueueScripts.DEAD, keys, args), "dead-lettering " + e.id());
  }

  /**
   * Tracks a settling call until it completes. A failed one is only logged: the entry stays pending and is claimed
   * again after the visibility timeout, so nothing is lost (it may be delivered twice).
   */
  private Future<?> settle(Future<?> call, String what) {
    settling.add(call);
    whenDone(call, ar -> {
      settling.remove(call);
      if (ar.failed()) {
        log.warn("Queue {}: {} failed ({}); it will be redelivered after the visibility timeout", channel, what,
          ar.cause().getMessage());
      }
      if (closed) {
        checkDone();
      }
    });
    return call;
  }

  private void checkDone() {
    if (done == null || running > 0) {
      return;
    }
    if (!acks.isEmpty()) {
      flushAcks();
    }
    if (settling.isEmpty() && done.tryComplete()) {
      queue.removed(this);
    }
  }

  // ---- timers

  private void claim() {
    int free = options.concurrency() - running - buffer.size();
    if (claiming || paused || closed || free <= 0) {
      return;
    }
    claiming = true;
    long minIdle = options.timeoutMs() + ro.claimMarginMs();
    whenDone(queue.link.eval(QueueScripts.CLAIM, List.of(stream), List.of(queue.group(), ro.consumer(),
      Long.toString(minIdle), Integer.toString(free), claimCursor)), ar -> {
      claiming = false;
      if (ar.failed()) {
        claimCursor = "0-0";
        log.debug("Claiming pending entries of {} failed: {}", stream, ar.cause().getMessage());
        return;
      }
      // The scan goes on from where this one stopped, so entries far down a long pending list are reached too.
      claimCursor = ar.result().get(0).toString();
      Response entries = ar.result().get(1);
      for (Response c : entries) {
        StreamEntry e = StreamEntry.parse(c.get(0).toString(), RedisStreamQueue.fields(c.get(1)));
        claimed++;
        take(new Pending(e, e.before() + c.get(2).toInteger()));
      }
      if (entries.size() > 0) {
        log.info("Claimed {} message(s) of {} left pending by a consumer that stopped", entries.size(), channel);
        pump();
      }
    });
  }

  private void moveDue() {
    if (moving || closed) {
      return;
    }
    moving = true;
    whenDone(queue.link.eval(QueueScripts.MOVE_DUE, List.of(queue.delayedKey(channel), stream),
      List.of(Long.toString(System.currentTimeMillis()), Integer.toString(MOVE_BATCH))), ar -> {
      moving = false;
      if (ar.failed()) {
        log.debug("Moving due messages of {} failed: {}", channel, ar.cause().getMessage());
      } else if (ar.result().toInteger() == MOVE_BATCH) {
        moveDue();
      }
    });
  }

  private void trim() {
    if (trimming || closed) {
      return;
    }
    trimming = true;
    List<String> args = List.of(queue.group(), Long.toString(STALE_CONSUMER_MS));
    whenDone(queue.link.eval(QueueScripts.TRIM, List.of(stream), args),
      ar -> {
        trimming = false;
        if (ar.failed()) {
          log.debug("Trimming {} failed: {}", stream, ar.cause().getMessage());
        } else if (ar.result().toLong() > 0) {
          log.debug("Trimmed {} acknowledged entries from {}", ar.result().toLong(), stream);
        }
      });
  }

  // ---- context

  private <T> void whenDone(Future<T> f, Handler<AsyncResult<T>> h) {
    f.onComplete(ar -> onContext(() -> h.handle(ar)));
  }

  private void onContext(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  private static boolean isNoGroup(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
  }
}
