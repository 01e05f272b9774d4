package dev.colony.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Operations per second through the Redis store, for {@code bench/cache.sh}. Arguments: {@code set|get|bloom},
 * Redis URL, concurrent callers, warm-up seconds, measured seconds, key space. {@code set} writes the 3-byte string
 * {@code "xxx"} (as redis-benchmark's default payload) under random keys of the key space, {@code get} reads them
 * (run {@code set} first: the keys stay for the {@code get} run and expire after 120 s), {@code bloom} asks
 * {@code exists} on a Lua-bitmap filter of 1,000,000 at 0.001 holding the key space. Each caller waits for its
 * answer before sending the next, as a request handler would. Prints {@code ops_per_sec=<n>} last.
 */
public final class CacheBench {

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    int callers = Integer.parseInt(args[2]);
    long warmupMs = TimeUnit.SECONDS.toMillis(Long.parseLong(args[3]));
    long measureMs = TimeUnit.SECONDS.toMillis(Long.parseLong(args[4]));
    int keySpace = Integer.parseInt(args[5]);
    String app = "colony-bench";

    Vertx vertx = Vertx.vertx();
    RedisCaches caches = Caches.redis(vertx, app, url, 1000, Optional.empty());
    Cache cache = caches.cache("bench", CacheOptions.DEFAULT.withDefaultTtl(java.time.Duration.ofSeconds(120)));
    BloomFilters blooms = caches.bloomFilters().await(10, TimeUnit.SECONDS);
    Function<String, Future<?>> op = switch (mode) {
      case "set" -> key -> cache.set(key, "xxx");
      case "get" -> cache::get;
      case "bloom" -> key -> blooms.exists("bench", key);
      default -> throw new IllegalArgumentException("mode must be set, get or bloom: " + mode);
    };
    if (mode.equals("bloom")) {
      blooms.reserve("bench", 0.001, 1_000_000).await(10, TimeUnit.SECONDS);
      for (int from = 0; from < keySpace; from += 1000) {
        List<String> items = new ArrayList<>();
        for (int i = from; i < Math.min(keySpace, from + 1000); i++) {
          items.add("key:" + i);
        }
        blooms.addAll("bench", items).await(30, TimeUnit.SECONDS);
      }
    }

    AtomicLong ops = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(x -> loop(op, keySpace, ops, failures, stop, done));
      loops.add(done.future());
    }
    Thread.sleep(warmupMs);
    long c0 = ops.get();
    long t0 = System.nanoTime();
    Thread.sleep(measureMs);
    long c1 = ops.get();
    long t1 = System.nanoTime();
    stop.set(true);
    Future.join(loops).await(30, TimeUnit.SECONDS);
    caches.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    System.out.printf("%s: %d caller(s), one connection: %d ops in %.2f s, failures %d%n", mode, callers, c1 - c0,
      (t1 - t0) / 1e9, failures.get());
    System.out.printf("ops_per_sec=%.1f%n", (c1 - c0) * 1e9 / (t1 - t0));
  }

  private static void loop(Function<String, Future<?>> op, int keySpace, AtomicLong ops, AtomicLong failures,
                           AtomicBoolean stop, Promise<Void> done) {
    if (stop.get()) {
      done.complete();
      return;
    }
    op.apply("key:" + ThreadLocalRandom.current().nextInt(keySpace)).onComplete(ar -> {
      if (ar.succeeded()) {
        ops.incrementAndGet();
      } else {
        failures.incrementAndGet();
      }
      loop(op, keySpace, ops, failures, stop, done);
    });
  }
}
