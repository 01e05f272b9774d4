package dev.colony.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The in-process queue of a single node. All its state lives on one event-loop context: public methods hop onto
 * it, handlers run on it, retries and delays are timers on it. Dead letters are kept in memory.
 *
 * <p>{@link #close(long)} stops dispatching, waits (bounded) for running handlers, then writes every unfinished
 * message, queued, delayed (with its due time) or still in flight (its handler did not finish in time, so it will
 * be delivered again), and every dead letter, as JSON lines to {@code <dir>/<channel>.jsonl}. {@link #start()}
 * reads those files back and deletes them. A crash loses what is in memory: that is what the memory adapter is;
 * use redis or rabbitmq where that matters.
 */
public final class MemoryQueue implements MessageQueue {

  private static final Logger log = LoggerFactory.getLogger(MemoryQueue.class);
  private static final String SUFFIX = ".jsonl";

  private final Vertx vertx;
  private final Context context;
  private final Path dir;
  private final Supplier<String> ids;
  private final Map<String, Chan> channels = new HashMap<>();
  private boolean closing;
  private Future<Void> closed;
  private Promise<Void> idle;

  private MemoryQueue(Vertx vertx, Path dir, Supplier<String> ids) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.dir = dir;
    this.ids = ids;
  }

  /**
   * A queue saving to and loading from {@code dir} (created if missing), with message ids from {@code ids}. Call
   * {@link #start()} before use.
   */
  public static MemoryQueue create(Vertx vertx, Path dir, Supplier<String> ids) {
    return new MemoryQueue(Objects.requireNonNull(vertx), Objects.requireNonNull(dir, "dir"),
      Objects.requireNonNull(ids, "ids"));
  }

  /** As {@link #create(Vertx, Path, Supplier)} with random unique ids. */
  public static MemoryQueue create(Vertx vertx, Path dir) {
    return create(vertx, dir, Handlers::randomId);
  }

  /** Loads the messages a previous {@link #close(long)} saved under the directory; fails if it cannot read them. */
  public Future<MemoryQueue> start() {
    return onContext(() -> vertx.fileSystem().mkdirs(dir.toString())
      .compose(v -> vertx.fileSystem().readDir(dir.toString(), ".*\\" + SUFFIX))
      .compose(files -> {
        Future<Void> chain = Future.succeededFuture();
        for (String file : files) {
          chain = chain.compose(v -> load(Path.of(file)));
        }
        return chain;
      })
      .map(v -> this));
  }

  private Future<Void> load(Path file) {
    String name = file.getFileName().toString();
    String channel = name.substring(0, name.length() - SUFFIX.length());
    return vertx.fileSystem().readFile(file.toString()).compose(buffer -> {
      Chan chan = chan(Channels.check(channel));
      long now = System.currentTimeMillis();
      int loaded = 0;
      int bad = 0;
      for (String line : buffer.toString().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonObject j = new JsonObject(line);
          Entry e = new Entry(j.getString("id"), j.getJsonObject("payload"), j.getLong("publishedAt"),
            j.getInteger("attempts", 0), j.getInteger("maxRetries"));
          Objects.requireNonNull(e.id, "id");
          Objects.requireNonNull(e.payload, "payload");
          JsonObject dead = j.getJsonObject("dead");
          if (dead != null) {
            chan.dead.put(e.id, new Dead(e, new DeadLetter(e.id, channel, e.payload, e.attempts,
              dead.getString("error"), dead.getLong("failedAt", now))));
          } else {
            schedule(chan, e, Math.max(0, j.getLong("dueAt", 0L) - now));
          }
          loaded++;
        } catch (RuntimeException ex) {
          bad++;
          log.warn("Skipping an unreadable saved message in {}: {}", file, ex.getMessage());
        }
      }
      log.info("Loaded {} saved message(s) of queue channel {} from {}{}", loaded, channel, file,
        bad == 0 ? "" : " (" + bad + " unreadable line(s) skipped)");
      return vertx.fileSystem().delete(file.toString());
    });
  }

  @Override
  public Future<String> publish(String channel, JsonObject payload, PublishOptions options) {
    Channels.check(channel);
    requireArg(payload, "payload");
    requireArg(options, "options");
    return onContext(() -> {
      if (closing) {
        return Future.failedFuture(new IllegalStateException("queue is closed; not publishing to " + channel));
      }
      Entry e = new Entry(ids.get(), payload.copy(), System.currentTimeMillis(), 0,
        options.maxRetries().isPresent() ? options.maxRetries().getAsInt() : null);
      schedule(chan(channel), e, options.delayMs());
      return Future.succeededFuture(e.id);
    });
  }

  @Override
  public Future<QueueSubscription> consume(String channel, Function<Message, Future<?>> handler,
                                           ConsumeOptions options) {
    Channels.check(channel);
    requireArg(handler, "handler");
    requireArg(options, "options");
    return onContext(() -> {
      if (closing) {
        return Future.failedFuture(new IllegalStateException("queue is closed; not consuming " + channel));
      }
      Chan chan = chan(channel);
      Sub sub = new Sub(chan, handler, options);
      chan.subs.add(sub);
      dispatch(chan);
      return Future.succeededFuture(sub);
    });
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(String channel, int limit) {
    Channels.check(channel);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    return onContext(() -> {
      Chan chan = channels.get(channel);
      List<DeadLetter> out = new ArrayList<>();
      if (chan != null) {
        for (Dead d : chan.dead.values()) {
          if (out.size() == limit) {
            break;
          }
          out.add(d.letter);
        }
      }
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Boolean> requeue(String channel, String messageId) {
    Channels.check(channel);
    requireArg(messageId, "messageId");
    return onContext(() -> {
      Chan chan = channels.get(channel);
      Dead d = chan == null ? null : chan.dead.remove(messageId);
      if (d == null) {
        return Future.succeededFuture(false);
      }
      d.entry.attempts = 0;
      schedule(chan, d.entry, 0);
      return Future.succeededFuture(true);
    });
  }

  @Override
  public Future<Void> close(long timeoutMs) {
    return onContext(() -> {
      if (closed == null) {
        closing = true;
        idle = Promise.promise();
        checkIdle();
        long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
          if (idle.tryComplete()) {
            log.warn("{} queue handler(s) still running after {} ms; their messages are saved for redelivery",
              running(), timeoutMs);
          }
        });
        closed = idle.future().compose(v -> {
          vertx.cancelTimer(timer);
          return save();
        });
      }
      return closed;
    });
  }

  /** Counts per channel: queued, delayed, in flight, dead, consumers. */
  public Future<JsonObject> stats() {
    return onContext(() -> {
      JsonObject out = new JsonObject();
      channels.forEach((name, c) -> out.put(name, new JsonObject().put("queued", c.ready.size())
        .put("delayed", c.delayed.size()).put("inFlight", c.inFlight.size()).put("dead", c.dead.size())
        .put("consumers", c.subs.size())));
      return Future.succeededFuture(out);
    });
  }

  // ---- on the context

  private Chan chan(String channel) {
    return channels.computeIfAbsent(channel, Chan::new);
  }

  /** Queues {@code e} at once, or after {@code delayMs} on a timer. */
  private void schedule(Chan chan, Entry e, long delayMs) {
    if (delayMs <= 0) {
      e.dueAt = 0;
      chan.ready.add(e);
      dispatch(chan);
      return;
    }
    e.dueAt = System.currentTimeMillis() + delayMs;
    chan.delayed.put(e.id, e);
    e.timer = vertx.setTimer(delayMs, t -> {
      e.timer = -1;
      if (chan.delayed.remove(e.id) != null) {
        e.dueAt = 0;
        chan.ready.add(e);
        dispatch(chan);
      }
    });
  }

  private void dispatch(Chan chan) {
    while (!closing && !chan.ready.isEmpty()) {
      Sub sub = chan.nextFree();
      if (sub == null) {
        return;
      }
      deliver(chan, sub, chan.ready.poll());
    }
  }

  private void deliver(Chan chan, Sub sub, Entry e) {
    e.attempts++;
    sub.running++;
    chan.inFlight.put(e.id, e);
    Message m = new Message(e.id, chan.name, e.payload.copy(), e.attempts, e.publishedAt);
    Handlers.run(vertx, context, sub.handler, m, sub.options.timeoutMs()).onComplete(ar -> {
      sub.running--;
      if (chan.inFlight.remove(e.id) == null) {
        return; // saved by close already; it will be delivered again after the restart
      }
      if (ar.failed()) {
        failed(chan, sub, e, ar.cause());
      }
      sub.checkClosed();
      checkIdle();
      scheduleDispatch(chan);
    });
  }

  /** Dispatches once at the end of this turn: a handler that completes at once must not recurse into the next. */
  private void scheduleDispatch(Chan chan) {
    if (!chan.dispatchScheduled) {
      chan.dispatchScheduled = true;
      context.runOnContext(v -> {
        chan.dispatchScheduled = false;
        dispatch(chan);
      });
    }
  }

  private void failed(Chan chan, Sub sub, Entry e, Throwable cause) {
    int max = e.maxRetries != null ? e.maxRetries : sub.options.maxRetries();
    if (e.attempts <= max) {
      schedule(chan, e, sub.options.retryDelayMs(e.attempts));
      return;
    }
    String error = Handlers.describe(cause);
    log.warn("Queue message {} of {} dead-lettered after {} attempt(s): {}", e.id, chan.name, e.attempts, error);
    chan.dead.put(e.id, new Dead(e, new DeadLetter(e.id, chan.name, e.payload, e.attempts, error,
      System.currentTimeMillis())));
  }

  private int running() {
    int n = 0;
    for (Chan c : channels.values()) {
      for (Sub s : c.subs) {
        n += s.running;
      }
    }
    return n;
  }

  private void checkIdle() {
    if (idle != null && running() == 0) {
      idle.tryComplete();
    }
  }

  private Future<Void> save() {
    List<Future<Void>> writes = new ArrayList<>();
    int total = 0;
    for (Chan c : channels.values()) {
      StringBuilder lines = new StringBuilder();
      int n = 0;
      for (Entry e : c.inFlight.values()) {
        lines.append(e.toJson()).append('\n');
        n++;
      }
      for (Entry e : c.ready) {
        lines.append(e.toJson()).append('\n');
        n++;
      }
      for (Entry e : c.delayed.values()) {
        vertx.cancelTimer(e.timer);
        lines.append(e.toJson()).append('\n');
        n++;
      }
      for (Dead d : c.dead.values()) {
        lines.append(d.entry.toJson().put("dead", new JsonObject().put("error", d.letter.error())
          .put("failedAt", d.letter.failedAt()))).append('\n');
        n++;
      }
      c.inFlight.clear();
      if (n == 0) {
        continue;
      }
      total += n;
      String file = dir.resolve(c.name + SUFFIX).toString();
      String tmp = file + ".tmp";
      writes.add(vertx.fileSystem().writeFile(tmp, Buffer.buffer(lines.toString()))
        .compose(v -> vertx.fileSystem().move(tmp, file, new CopyOptions().setReplaceExisting(true)
          .setAtomicMove(true))));
    }
    int saved = total;
    return Future.all(writes)
      .onSuccess(v -> {
        if (saved > 0) {
          log.info("Saved {} unfinished or dead queue message(s) under {}", saved, dir);
        }
      })
      .onFailure(e -> log.error("Saving unfinished queue messages under {} failed: {}", dir, e.toString()))
      .mapEmpty();
  }

  private <T> Future<T> onContext(Callable<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return call(action);
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> call(action).onComplete(p));
    return p.future();
  }

  private static <T> Future<T> call(Callable<Future<T>> action) {
    try {
      return action.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static void requireArg(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }

  private static final class Entry {
    final String id;
    final JsonObject payload;
    final long publishedAt;
    final Integer maxRetries;
    int attempts;
    long dueAt;
    long timer = -1;

    Entry(String id, JsonObject payload, long publishedAt, int attempts, Integer maxRetries) {
      this.id = id;
      this.payload = payload;
      this.publishedAt = publishedAt;
      this.attempts = attempts;
      this.maxRetries = maxRetries;
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("payload", payload).put("publishedAt", publishedAt)
        .put("attempts", attempts).put("maxRetries", maxRetries).put("dueAt", dueAt);
    }
  }

  private record Dead(Entry entry, DeadLetter letter) {
  }

  private static final class Chan {
    final String name;
    final ArrayDeque<Entry> ready = new ArrayDeque<>();
    final Map<String, Entry> delayed = new LinkedHashMap<>();
    final Map<String, Entry> inFlight = new LinkedHashMap<>();
    final Map<String, Dead> dead = new LinkedHashMap<>();
    final List<Sub> subs = new ArrayList<>();
    int next;
    boolean dispatchScheduled;

    Chan(String name) {
      this.name = name;
    }

    /** A subscription with a free slot, round robin; null if none. */
    Sub nextFree() {
      for (int i = 0; i < subs.size(); i++) {
        Sub s = subs.get((next + i) % subs.size());
        if (!s.paused && !s.closed && s.running < s.options.concurrency()) {
          next = (next + i + 1) % subs.size();
          return s;
        }
      }
      return null;
    }
  }

  private final class Sub implements QueueSubscription {
    final Chan chan;
    final Function<Message, Future<?>> handler;
    final ConsumeOptions options;
    final Promise<Void> done = Promise.promise();
    boolean paused;
    boolean closed;
    int running;

    Sub(Chan chan, Function<Message, Future<?>> handler, ConsumeOptions options) {
      this.chan = chan;
      this.handler = handler;
      this.options = options;
    }

    @Override
    public String channel() {
      return chan.name;
    }

    @Override
    public void pause() {
      onContext(() -> {
        paused = true;
        return Future.succeededFuture();
      });
    }

    @Override
    public void resume() {
      onContext(() -> {
        paused = false;
        dispatch(chan);
        return Future.succeededFuture();
      });
    }

    @Override
    public Future<Void> close() {
      return onContext(() -> {
        closed = true;
        checkClosed();
        return done.future();
      });
    }

    void checkClosed() {
      if (closed && running == 0 && done.tryComplete()) {
        chan.subs.remove(this);
      }
    }
  }
}
