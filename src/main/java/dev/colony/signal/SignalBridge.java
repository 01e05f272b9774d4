package dev.colony.signal;

import dev.colony.config.ServiceUrl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The one verticle per node that owns the Redis connections of the signals: a {@link StreamWriter} and a
 * {@link StreamReader} on its context. Start succeeds once both have connected (bounded by
 * {@code startTimeoutMs}); stop flushes the outgoing buffer (bounded by {@code flushOnCloseMs}) and closes them.
 */
final class SignalBridge extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SignalBridge.class);

  private final RedisSignals owner;
  private final RedisSignalsOptions options;
  private volatile StreamWriter writer;
  private volatile StreamReader reader;
  private volatile Long downSince;

  SignalBridge(RedisSignals owner, RedisSignalsOptions options) {
    this.owner = owner;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    downSince = System.nanoTime();
    writer = new StreamWriter(vertx, options, owner, this::stateChanged);
    reader = new StreamReader(vertx, options, owner, this::stateChanged);
    writer.connect();
    reader.connect();
    vertx.setPeriodic(Math.max(100, options.commandTimeoutMs() / 4), id -> writer.watchdog());
    return Future.all(writer.firstUp.future(), reader.firstUp.future())
      .timeout(options.startTimeoutMs(), TimeUnit.MILLISECONDS)
      .recover(e -> closeLinks().transform(v -> Future.failedFuture(new IllegalStateException(
        "signals: no Redis at " + ServiceUrl.redact(options.redisUrl()) + " within " + options.startTimeoutMs()
          + " ms (" + e.getMessage() + ")", e))));
  }

  @Override
  public Future<?> stop() {
    return writer.drain().timeout(Math.max(1, options.flushOnCloseMs()), TimeUnit.MILLISECONDS)
      .recover(e -> {
        log.warn("Closing signals with {} signal(s) not yet in Redis", writer.queued());
        return Future.succeededFuture();
      })
      .eventually(this::closeLinks);
  }

  /** Sends {@code envelope} to the stream from the bridge's context; the future completes on the caller's. */
  Future<Void> send(Envelope envelope) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> writer.offer(envelope, done));
    Context caller = Vertx.currentContext();
    if (caller == null || caller == context) {
      return done.future();
    }
    Promise<Void> back = Promise.promise();
    done.future().onComplete(ar -> caller.runOnContext(x -> {
      if (ar.succeeded()) {
        back.complete();
      } else {
        back.fail(ar.cause());
      }
    }));
    return back.future();
  }

  /** Connected; or reconnecting for less than the grace period. */
  boolean ready() {
    Long since = downSince;
    return since == null || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(options.readinessGraceMs());
  }

  /** For readiness and status; read from any thread, so only approximate. */
  JsonObject state() {
    Long since = downSince;
    return new JsonObject()
      .put("connected", since == null)
      .put("downMs", since == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since))
      .put("stream", options.streamKey())
      .put("buffered", writer == null ? 0 : writer.queued())
      .put("overflows", writer == null ? 0 : writer.overflows());
  }

  /** Reader statistics; on the bridge's context. */
  Future<JsonObject> stats() {
    Promise<JsonObject> p = Promise.promise();
    context.runOnContext(v -> p.complete(reader.stats().mergeIn(state())));
    return p.future();
  }

  private void stateChanged() {
    if (writer.up() && reader.up()) {
      downSince = null;
    } else if (downSince == null) {
      downSince = System.nanoTime();
    }
  }

  private Future<Void> closeLinks() {
    return Future.all(writer.close(), reader.close()).mapEmpty();
  }
}
