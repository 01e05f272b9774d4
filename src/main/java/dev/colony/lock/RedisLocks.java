package dev.colony.lock;

import dev.colony.redis.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Locks in Redis, shared by every node of the cluster. The lock {@code name} is the key {@code <app>:lock:<name>}
 * holding the owner token with a PX expiry; its fences come from INCR on {@code <app>:lock-fence:<name>}, in the
 * same script that takes the lock, so they strictly increase across nodes and restarts (the fence keys have no
 * expiry). A failed attempt marks {@code <app>:lock-waiters:<name>} for a few poll periods; a release that finds
 * the mark deletes it and publishes the name on {@code <app>:lock-released}, which a dedicated connection
 * subscribes to, so that waiters retry at once (an uncontended release publishes nothing). Jittered polling
 * remains for notices that get lost.
 *
 * <p>Commands are pipelined on one connection ({@link RedisLink}), and every call to Redis has a deadline
 * ({@code callTimeout}).
 */
public final class RedisLocks extends LeasedLocks {

  private static final Logger log = LoggerFactory.getLogger(RedisLocks.class);
  private static final long RESUBSCRIBE_MS = 1000;
  /** How long a failed attempt marks the lock as waited for; waiters retry well within it (at most 2 * POLL_MS). */
  private static final long WAITERS_MARK_MS = 4 * POLL_MS;

  private final RedisLink link;
  private final Redis subscriberClient;
  private final String app;
  private final String channel;
  private final long callTimeoutMs;
  private final Notices notices = new Notices();
  private RedisConnection subscriber;
  private volatile boolean closing;

  private RedisLocks(Vertx vertx, String app, RedisOptions options, Duration callTimeout) {
    super(vertx);
    this.app = app;
    this.channel = app + ":lock-released";
    this.callTimeoutMs = callTimeout.toMillis();
    this.link = new RedisLink(vertx, options, callTimeoutMs, "locks");
    this.subscriberClient = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
  }

  /**
   * Locks of application {@code app} in the Redis at {@code url}, with a 2 s deadline per call. Nothing connects
   * before {@link #start()}.
   *
   * @throws IllegalArgumentException if {@code app} or {@code url} is empty
   */
  public static RedisLocks create(Vertx vertx, String app, String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("Redis URL must not be empty");
    }
    return create(vertx, app, new RedisOptions().setConnectionString(url), Duration.ofSeconds(2));
  }

  /**
   * As {@link #create(Vertx, String, String)} with the client's options and the deadline of each call.
   *
   * @throws IllegalArgumentException if {@code app} is empty or {@code callTimeout} is under 1 ms
   */
  public static RedisLocks create(Vertx vertx, String app, RedisOptions options, Duration callTimeout) {
    if (app == null || app.isEmpty()) {
      throw new IllegalArgumentException("app name must not be empty");
    }
    if (callTimeout == null || callTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("callTimeout must be at least 1 ms, got " + callTimeout);
    }
    return new RedisLocks(vertx, app, options, callTimeout);
  }

  /**
   * Pings Redis and subscribes to the release notices; fails if Redis does not answer within the deadline. Locks
   * work before this completes, by polling; if the subscription drops later it is re-established every second.
   */
  public Future<Void> start() {
    return ping().compose(v -> subscribe());
  }

  /** PING with the call deadline; for the readiness check. */
  public Future<Void> ping() {
    return link.ping();
  }

  @Override
  Future<Attempt> take(String name, String owner, long ttlMs) {
    return link.eval(LockScripts.TAKE, 3, lockKey(name), fenceKey(name), waitersKey(name), owner, ttlMs,
        WAITERS_MARK_MS)
      .map(r -> r.get(0).toLong() == 1 ? new Attempt(r.get(1).toLong(), -1) : new Attempt(0, r.get(1).toLong()));
  }

  @Override
  Future<Boolean> renew(String name, String owner, long ttlMs) {
    return link.eval(LockScripts.RENEW, 1, lockKey(name), owner, ttlMs).map(r -> r.toLong() == 1);
  }

  @Override
  Future<Boolean> drop(String name, String owner) {
    return link.eval(LockScripts.DROP, 2, lockKey(name), waitersKey(name), owner, channel, name)
      .map(r -> r.toLong() == 1);
  }

  @Override
  Notices.Waiter watch(String name) {
    return notices.watch(vertx, name);
  }

  @Override
  Future<Void> closeStore() {
    RedisConnection sub;
    synchronized (this) {
      closing = true;
      sub = subscriber;
      subscriber = null;
    }
    Future<Void> subscription = sub == null ? Future.succeededFuture() : sub.close();
    return Future.join(link.close(), subscription.eventually(subscriberClient::close)).mapEmpty();
  }

  String lockKey(String name) {
    return app + ":lock:" + name;
  }

  String fenceKey(String name) {
    return app + ":lock-fence:" + name;
  }

  String waitersKey(String name) {
    return app + ":lock-waiters:" + name;
  }

  private Future<Void> subscribe() {
    if (closing) {
      return Future.succeededFuture();
    }
    return subscriberClient.connect().timeout(callTimeoutMs, TimeUnit.MILLISECONDS).compose(conn -> {
      synchronized (this) {
        subscriber = conn;
      }
      conn.handler(this::onPush);
      conn.exceptionHandler(e -> lostSubscriber(conn, e.toString()));
      conn.endHandler(v -> lostSubscriber(conn, "connection closed"));
      return conn.send(Request.cmd(Command.SUBSCRIBE, channel)).timeout(callTimeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(e -> {
          // The caller retries (or fails the start): closing must not also trigger lostSubscriber.
          synchronized (this) {
            if (subscriber == conn) {
              subscriber = null;
            }
          }
          conn.close();
        });
    }).onSuccess(v -> notices.fireAll()).mapEmpty();
  }

  private void onPush(Response message) {
    // RESP2 and RESP3 alike: ["message", channel, name].
    if (message != null && message.size() == 3 && "message".equals(message.get(0).toString())
      && channel.equals(message.get(1).toString())) {
      notices.fire(message.get(2).toString());
    }
  }

  private void lostSubscriber(RedisConnection conn, String why) {
    synchronized (this) {
      if (subscriber != conn || closing) {
        return;
      }
      subscriber = null;
    }
    log.warn("Lock release notices interrupted ({}); polling until resubscribed", why);
    resubscribeLater();
  }

  private void resubscribeLater() {
    if (!closing) {
      vertx.setTimer(RESUBSCRIBE_MS, id -> subscribe().onFailure(e -> resubscribeLater()));
    }
  }
}
