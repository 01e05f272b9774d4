package dev.colony.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Redis connection that a part pipelines every command on, with a deadline per call: taking a pooled
 * connection per command costs about a third of the throughput. A broken connection is dropped and the next
 * command connects again. Used by the cache, the locks and the Redis queue; blocking reads and subscriptions need
 * connections of their own.
 */
public final class RedisLink {

  private final Redis client;
  private final long callTimeoutMs;
  private final String owner;
  private Future<RedisConnection> connection;
  private boolean closed;

  /**
   * @param options       client options; the pool is set to one connection
   * @param callTimeoutMs deadline of each call, connecting included
   * @param owner         what the link serves, for the error after {@link #close()} (e.g. {@code cache})
   */
  public RedisLink(Vertx vertx, RedisOptions options, long callTimeoutMs, String owner) {
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    this.callTimeoutMs = callTimeoutMs;
    this.owner = owner;
  }

  /**
   * Client options for {@code url}; the pipeline may hold many waiting replies (concurrent callers share the one
   * connection).
   *
   * @throws IllegalArgumentException if the URL is empty
   */
  public static RedisOptions options(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("Redis URL must not be empty");
    }
    return new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(16_384);
  }

  public Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request)).timeout(callTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The requests in one pipelined write; replies in order. */
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests)).timeout(callTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code script} by EVALSHA, falling back to EVAL once when Redis does not know it yet. */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    Object[] keysThenArgs = new Object[keys.size() + args.size()];
    System.arraycopy(keys.toArray(), 0, keysThenArgs, 0, keys.size());
    System.arraycopy(args.toArray(), 0, keysThenArgs, keys.size(), args.size());
    return eval(script, keys.size(), keysThenArgs);
  }

  /** As {@link #eval(LuaScript, List, List)}: the first {@code keys} of {@code keysThenArgs} are keys. */
  public Future<Response> eval(LuaScript script, int keys, Object... keysThenArgs) {
    Object[] args = new Object[keysThenArgs.length + 2];
    args[0] = script.sha();
    args[1] = keys;
    System.arraycopy(keysThenArgs, 0, args, 2, keysThenArgs.length);
    return send(Request.cmd(Command.EVALSHA, args)).recover(e -> {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        return Future.failedFuture(e);
      }
      Object[] evalArgs = args.clone();
      evalArgs[0] = script.text();
      return send(Request.cmd(Command.EVAL, evalArgs));
    });
  }

  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private synchronized Future<RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException(owner + ": Redis client is closed"));
    }
    if (connection == null) {
      Future<RedisConnection> c = client.connect().timeout(callTimeoutMs, TimeUnit.MILLISECONDS);
      connection = c;
      c.onSuccess(conn -> conn
          .exceptionHandler(e -> drop(c))
          .endHandler(v -> drop(c)))
        .onFailure(e -> drop(c));
    }
    return connection;
  }

  private synchronized void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
      broken.onSuccess(RedisConnection::close);
    }
  }

  /** Closes the connection and the client; later calls fail. */
  public Future<Void> close() {
    Future<RedisConnection> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    Future<Void> conn = c == null ? Future.succeededFuture() : c.compose(RedisConnection::close).otherwiseEmpty();
    return conn.eventually(client::close).otherwiseEmpty();
  }
}
