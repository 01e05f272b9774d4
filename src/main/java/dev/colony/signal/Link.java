package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One dedicated Redis connection of the bridge (the writer's or the reader's), reconnected with backoff when
 * lost. Each attempt gets a client of its own, closed when the connection is lost, so a half-dead connection
 * (a timed-out BLOCK, a silent cut) is never recycled through a pool. An epoch number tells callbacks of a lost
 * connection that they are stale. Runs on the bridge's context only.
 */
abstract class Link {

  private static final Logger log = LoggerFactory.getLogger(Link.class);

  final Vertx vertx;
  final RedisSignalsOptions options;
  final String role;
  final Promise<Void> firstUp = Promise.promise();
  private final Backoff backoff;
  private final Runnable onStateChange;
  private Redis client;
  private int epoch;
  private boolean closed;
  private boolean warned;
  private volatile boolean up;

  Link(Vertx vertx, RedisSignalsOptions options, String role, Runnable onStateChange) {
    this.vertx = vertx;
    this.options = options;
    this.role = role;
    this.onStateChange = onStateChange;
    this.backoff = new Backoff(options.reconnectMinMs(), options.reconnectMaxMs());
  }

  /** Prepares a fresh connection; the link is up once this succeeds. */
  Future<Void> prepare(RedisConnection connection) {
    return Future.succeededFuture();
  }

  /** The link is up on {@code connection}; {@code epoch} identifies it for {@link #current} and {@link #lost}. */
  abstract void running(RedisConnection connection, int epoch);

  /** The connection of this epoch is gone; called once per lost connection, before reconnecting. */
  void onLost() {
  }

  boolean up() {
    return up;
  }

  boolean closed() {
    return closed;
  }

  /** Whether callbacks of {@code e} still concern the live connection. */
  boolean current(int e) {
    return e == epoch && !closed;
  }

  final void connect() {
    if (closed) {
      return;
    }
    int e = ++epoch;
    Redis c = Redis.createClient(vertx, redisOptions());
    client = c;
    c.connect().timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS)
      .compose(conn -> {
        if (!current(e)) {
          return Future.succeededFuture();
        }
        conn.exceptionHandler(t -> lost(e, t));
        conn.endHandler(v -> lost(e, new IOException("connection closed")));
        return prepare(conn).timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS).onSuccess(v -> {
          if (!current(e)) {
            return;
          }
          up = true;
          backoff.reset();
          if (warned) {
            log.info("Signal {} reconnected to Redis", role);
            warned = false;
          }
          firstUp.tryComplete();
          onStateChange.run();
          running(conn, e);
        });
      })
      .onFailure(t -> lost(e, t));
  }

  /** The connection of epoch {@code e} failed: drop its client and try again after a backoff delay. */
  final void lost(int e, Throwable cause) {
    if (!current(e)) {
      return;
    }
    epoch++;
    up = false;
    closeClient();
    if (!warned) {
      log.warn("Signal {} lost Redis ({}); reconnecting with backoff", role, String.valueOf(cause));
      warned = true;
    } else {
      log.debug("Signal {} still cannot reach Redis: {}", role, String.valueOf(cause));
    }
    onLost();
    onStateChange.run();
    vertx.setTimer(backoff.next(), id -> connect());
  }

  Future<Void> close() {
    closed = true;
    epoch++;
    up = false;
    return closeClient();
  }

  private Future<Void> closeClient() {
    Redis c = client;
    client = null;
    return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
  }

  private RedisOptions redisOptions() {
    return new RedisOptions()
      .setConnectionString(options.redisUrl())
      .setMaxPoolSize(1)
      .setMaxPoolWaiting(4)
      .setMaxWaitingHandlers(Math.max(2048, options.maxInflight() * 2))
      .setPreferredProtocolVersion(ProtocolVersion.RESP2)
      .setNetClientOptions(new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.commandTimeoutMs()))
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
  }
}
