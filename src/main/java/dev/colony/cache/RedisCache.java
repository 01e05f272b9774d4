package dev.colony.cache;

import dev.colony.redis.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;

/**
 * A cache in Redis: {@code key} is stored as its JSON text at {@code <app>:cache:<name>:<key>}, with PX when it
 * has a TTL. {@code reset} walks the cache's own prefix with SCAN and removes what it finds with UNLINK, batch by
 * batch: never FLUSHDB, never KEYS, nothing outside the prefix.
 */
final class RedisCache extends StoreCache {

  /** SCAN's COUNT hint: keys looked at per round trip. */
  private static final int SCAN_COUNT = 1000;

  private final RedisLink link;
  private final String prefix;

  RedisCache(RedisLink link, String app, String name, CacheOptions options) {
    super(name, options);
    this.link = link;
    this.prefix = app + ":cache:" + name + ":";
  }

  String redisKey(String key) {
    return prefix + key;
  }

  @Override
  public Future<Object> get(String key) {
    Keys.checkKey(key);
    return link.send(Request.cmd(Command.GET).arg(redisKey(key))).map(r -> decode(key, r));
  }

  /** A value and its remaining lifetime ({@code null}: none), for the near cache. */
  record Timed(Object value, Duration ttl) {
  }

  /** GET and PTTL in one pipelined write. */
  Future<Timed> getTimed(String key) {
    String k = redisKey(key);
    return link.batch(List.of(Request.cmd(Command.GET).arg(k), Request.cmd(Command.PTTL).arg(k))).map(rs -> {
      Object value = decode(key, rs.get(0));
      long pttl = rs.get(1) == null ? -1 : rs.get(1).toLong();
      return new Timed(value, pttl > 0 ? Duration.ofMillis(pttl) : null);
    });
  }

  private Object decode(String key, Response r) {
    if (r == null) {
      return null;
    }
    try {
      return Json.decodeValue(r.toBuffer());
    } catch (DecodeException e) {
      throw new CacheValueException(name, key, e);
    }
  }

  @Override
  public Future<Void> set(String key, Object value, Duration ttl) {
    Keys.checkKey(key);
    Duration t = ttl(ttl);
    Request set = Request.cmd(Command.SET).arg(redisKey(key)).arg(Keys.encode(value));
    if (t != null) {
      set.arg("PX").arg(t.toMillis());
    }
    return link.send(set).mapEmpty();
  }

  @Override
  public Future<Void> del(String key) {
    Keys.checkKey(key);
    return link.send(Request.cmd(Command.UNLINK).arg(redisKey(key))).mapEmpty();
  }

  @Override
  public Future<Long> reset() {
    return scan("0", 0);
  }

  private Future<Long> scan(String cursor, long removed) {
    // The prefix holds only name characters (no glob characters), so it matches itself.
    Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(SCAN_COUNT);
    return link.send(scan).compose(r -> {
      String next = r.get(0).toString();
      Response keys = r.get(1);
      Future<Long> unlinked = Future.succeededFuture(0L);
      if (keys.size() > 0) {
        Request unlink = Request.cmd(Command.UNLINK);
        keys.forEach(k -> unlink.arg(k.toBuffer()));
        unlinked = link.send(unlink).map(Response::toLong);
      }
      return unlinked.compose(n -> "0".equals(next) ? Future.succeededFuture(removed + n) : scan(next, removed + n));
    });
  }
}
