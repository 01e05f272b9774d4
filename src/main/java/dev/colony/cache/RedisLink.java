package dev.colony.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Redis connection that every command of the cache and the Bloom filters is pipelined on, with a deadline
 * per call. Taking a pooled connection per command costs about a third of the throughput (see RedisLocks). A
 * broken connection is dropped and the next command connects again.
 */
final class RedisLink {

  /** A Lua script and the SHA-1 that EVALSHA names it by. */
  record Script(String name, String text, String sha) {
    static Script of(String name, String text) {
      try {
        return new Script(name, text, HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Redis client;
  private final long callTimeoutMs;
  private Future<RedisConnection> connection;
  private boolean closed;

  RedisLink(Vertx vertx, RedisOptions options, long callTimeoutMs) {
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    this.callTimeoutMs = callTimeoutMs;
  }

  /**
   * Client options for {@code url}; the pipeline may hold many waiting replies (concurrent callers share the one
   * connection).
   *
   * @throws IllegalArgumentException if the URL is empty
   */
  static RedisOptions options(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("Redis URL must not be empty");
    }
    return new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(16_384);
  }

  Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request)).timeout(callTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The requests in one pipelined write; replies in order. */
  Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests)).timeout(callTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code script} by EVALSHA, falling back to EVAL once when Redis does not know it yet. */
  Future<Response> eval(Script script, List<String> keys, List<String> args) {
    Request sha = Request.cmd(Command.EVALSHA).arg(script.sha()).arg(keys.size());
    keys.forEach(sha::arg);
    args.forEach(sha::arg);
    return send(sha).recover(e -> {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        return Future.failedFuture(e);
      }
      Request eval = Request.cmd(Command.EVAL).arg(script.text()).arg(keys.size());
      keys.forEach(eval::arg);
      args.forEach(eval::arg);
      return send(eval);
    });
  }

  Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private synchronized Future<RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("cache Redis client is closed"));
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
    }
  }

  Future<Void> close() {
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
