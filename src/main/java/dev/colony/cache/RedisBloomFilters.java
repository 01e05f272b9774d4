package dev.colony.cache;

import dev.colony.redis.RedisLink;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bloom filters in Redis, shared by every node. At start it asks the server whether it has RedisBloom
 * ({@code COMMAND INFO BF.ADD}): if so a new filter is a RedisBloom filter at {@code <app>:bloom:<name>} used
 * through BF.MADD and BF.MEXISTS; otherwise (Redis 7 without modules) it is a bitmap at that key, whose bits
 * {@link BloomShape} places in Java, written and read by one script per operation ({@link BloomScripts}). Either
 * way the parameters and the kind live in the hash {@code <app>:bloom:<name>:meta}, which every operation checks;
 * an existing filter is used as the kind it was created, so nodes agree on it (a bitmap filter made before an
 * upgrade to a Redis with RedisBloom stays a bitmap).
 */
final class RedisBloomFilters implements BloomFilters {

  /** Items per script call: keeps each call short (about 2,500 bit operations), so Redis serves others between. */
  private static final int CHUNK = 250;

  private final RedisLink link;
  private final String app;
  private final boolean redisBloom;
  /** What this node knows of a filter. */
  private record Filter(BloomShape shape, String kind) {
  }

  static final String BITMAP = "bitmap";
  static final String REDISBLOOM = "redisbloom";

  /** Filters read or reserved so far; an entry is dropped when Redis says the filter changed or went away. */
  private final ConcurrentHashMap<String, Filter> known = new ConcurrentHashMap<>();

  private RedisBloomFilters(RedisLink link, String app, boolean redisBloom) {
    this.link = link;
    this.app = app;
    this.redisBloom = redisBloom;
  }

  /** Detects RedisBloom, then answers the filters; fails if Redis does not answer. */
  static Future<RedisBloomFilters> start(RedisLink link, String app) {
    return link.send(Request.cmd(Command.COMMAND).arg("INFO").arg("BF.ADD"))
      .map(r -> new RedisBloomFilters(link, app, r != null && r.size() > 0 && r.get(0) != null));
  }

  /** The bitmap fallback whatever the server has (tests and benchmarks of the fallback on any Redis). */
  static RedisBloomFilters bitmap(RedisLink link, String app) {
    return new RedisBloomFilters(link, app, false);
  }

  @Override
  public String implementation() {
    return redisBloom ? "redisbloom" : "lua-bitmap";
  }

  String dataKey(String name) {
    return app + ":bloom:" + name;
  }

  String metaKey(String name) {
    return app + ":bloom:" + name + ":meta";
  }

  @Override
  public Future<Void> reserve(String name, double errorRate, long capacity) {
    Keys.checkName("Bloom filter", name);
    BloomShape shape = BloomShape.of(errorRate, capacity);
    String kind = redisBloom ? REDISBLOOM : BITMAP;
    List<String> args = List.of(Double.toString(errorRate), Long.toString(capacity), Long.toString(shape.bits()),
      Integer.toString(shape.hashes()), kind);
    return link.eval(BloomScripts.RESERVE, List.of(metaKey(name), dataKey(name)), args).compose(r -> {
      if (r.get(0).toInteger() == 0) {
        known.put(name, new Filter(shape, kind));
        return Future.succeededFuture();
      }
      Filter existing = parse(r, 1);
      if (!existing.shape().equals(shape)) {
        return Future.failedFuture(new FilterConflictException(name, MemoryBloomFilters.describe(existing.shape()),
          MemoryBloomFilters.describe(shape)));
      }
      known.put(name, existing);
      return Future.succeededFuture();
    });
  }

  private static Filter parse(Response r, int from) {
    BloomShape shape = new BloomShape(Double.parseDouble(r.get(from).toString()),
      Long.parseLong(r.get(from + 1).toString()), Long.parseLong(r.get(from + 2).toString()),
      Integer.parseInt(r.get(from + 3).toString()));
    Response kind = r.get(from + 4);
    return new Filter(shape, kind == null ? BITMAP : kind.toString());
  }

  @Override
  public Future<Boolean> add(String name, String item) {
    return addAll(name, List.of(MemoryBloomFilters.checkItem(item))).map(r -> r.get(0));
  }

  @Override
  public Future<Boolean> exists(String name, String item) {
    return existsAll(name, List.of(MemoryBloomFilters.checkItem(item))).map(r -> r.get(0));
  }

  @Override
  public Future<List<Boolean>> addAll(String name, List<String> items) {
    Keys.checkName("Bloom filter", name);
    MemoryBloomFilters.checkItems(items);
    return run(name, items, true, true);
  }

  @Override
  public Future<List<Boolean>> existsAll(String name, List<String> items) {
    Keys.checkName("Bloom filter", name);
    MemoryBloomFilters.checkItems(items);
    return run(name, items, false, true);
  }

  private Future<List<Boolean>> run(String name, List<String> items, boolean add, boolean retry) {
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return filter(name).compose(filter -> {
      if (filter.kind().equals(REDISBLOOM) && !redisBloom) {
        return Future.failedFuture(new IllegalStateException("Bloom filter \"" + name + "\" is a RedisBloom filter"
          + " but this Redis has no BF.* commands (did it lose the module?)"));
      }
      List<Future<Response>> calls = new ArrayList<>();
      for (int from = 0; from < items.size(); from += CHUNK) {
        calls.add(call(name, filter, items.subList(from, Math.min(items.size(), from + CHUNK)), add));
      }
      return Future.all(calls).map(all -> {
        List<Boolean> out = new ArrayList<>(items.size());
        for (Future<Response> f : calls) {
          f.result().forEach(b -> out.add(b.toInteger() == 1));
        }
        return out;
      });
    }).recover(e -> {
      String m = e.getMessage() == null ? "" : e.getMessage();
      if (m.contains(BloomScripts.UNKNOWN)) {
        known.remove(name);
        return Future.failedFuture(new UnknownFilterException(name));
      }
      if (m.contains(BloomScripts.SHAPE) && retry) {
        // Dropped and reserved again with other parameters by another node: read them again, once.
        known.remove(name);
        return run(name, items, add, false);
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Response> call(String name, Filter filter, List<String> items, boolean add) {
    List<String> keys = List.of(dataKey(name), metaKey(name));
    BloomShape shape = filter.shape();
    if (filter.kind().equals(REDISBLOOM)) {
      return link.eval(add ? BloomScripts.BF_ADD : BloomScripts.BF_EXISTS, keys, items);
    }
    List<String> args = new ArrayList<>(2 + items.size() * shape.hashes());
    args.add(Long.toString(shape.bits()));
    args.add(Integer.toString(shape.hashes()));
    for (String item : items) {
      for (long p : shape.positions(item)) {
        args.add(Long.toString(p));
      }
    }
    return link.eval(add ? BloomScripts.BITMAP_ADD : BloomScripts.BITMAP_EXISTS, keys, args);
  }

  /** The filter's shape and kind, from this node's memory or from its meta hash. */
  private Future<Filter> filter(String name) {
    Filter f = known.get(name);
    if (f != null) {
      return Future.succeededFuture(f);
    }
    return link.send(Request.cmd(Command.HMGET).arg(metaKey(name)).arg("errorRate").arg("capacity").arg("bits")
      .arg("hashes").arg("kind")).compose(r -> {
        if (r == null || r.get(0) == null) {
          return Future.failedFuture(new UnknownFilterException(name));
        }
        Filter read = parse(r, 0);
        known.put(name, read);
        return Future.succeededFuture(read);
      });
  }
}
