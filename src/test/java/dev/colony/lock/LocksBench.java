package dev.colony.lock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acquire-plus-release cycles per second through {@link RedisLocks}, for {@code bench/locks.sh}. Arguments:
 * {@code uncontended|contended}, Redis URL, callers (uncontended: callers on distinct names, one client;
 * contended: clients, each with its own Vert.x and connections, on one name), warm-up seconds, measured seconds.
 * Prints {@code cycles_per_sec=<n>} last. Deletes its keys at the end.
 */
public final class LocksBench {

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    int callers = Integer.parseInt(args[2]);
    long warmupMs = TimeUnit.SECONDS.toMillis(Long.parseLong(args[3]));
    long measureMs = TimeUnit.SECONDS.toMillis(Long.parseLong(args[4]));
    String app = "colony-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    boolean contended = mode.equals("contended");

    int clients = contended ? callers : 1;
    List<Vertx> vertxes = new ArrayList<>();
    List<RedisLocks> locks = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Vertx v = Vertx.vertx();
      vertxes.add(v);
      RedisLocks l = RedisLocks.create(v, app, url);
      l.start().await(10, TimeUnit.SECONDS);
      locks.add(l);
    }
    AtomicLong cycles = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<String> names = new ArrayList<>();
    List<Future<Void>> loops = new ArrayList<>();
    LockOptions options = LockOptions.of(Duration.ofSeconds(30), contended ? Duration.ofSeconds(10) : Duration.ZERO);
    for (int i = 0; i < callers; i++) {
      String name = contended ? "shared" : "name-" + i;
      names.add(name);
      Locks l = locks.get(contended ? i : 0);
      Promise<Void> done = Promise.promise();
      vertxes.get(contended ? i : 0).runOnContext(x -> loop(l, name, options, cycles, failures, stop, done));
      loops.add(done.future());
    }
    Thread.sleep(warmupMs);
    long c0 = cycles.get();
    long t0 = System.nanoTime();
    Thread.sleep(measureMs);
    long c1 = cycles.get();
    long t1 = System.nanoTime();
    stop.set(true);
    Future.join(loops).await(30, TimeUnit.SECONDS);

    RedisAPI api = RedisAPI.api(Redis.createClient(vertxes.get(0), url));
    List<String> keys = new ArrayList<>();
    names.stream().distinct().forEach(n -> keys.addAll(List.of(app + ":lock-fence:" + n, app + ":lock-waiters:" + n)));
    api.del(keys).await(10, TimeUnit.SECONDS);
    for (RedisLocks l : locks) {
      l.close().await(10, TimeUnit.SECONDS);
    }
    for (Vertx v : vertxes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
    double perSec = (c1 - c0) * 1e9 / (t1 - t0);
    System.out.printf("%s: %d caller(s) on %s, %d client(s): %d cycles in %.2f s, failures %d%n", mode, callers,
      contended ? "one name" : "distinct names", clients, c1 - c0, (t1 - t0) / 1e9, failures.get());
    System.out.printf("cycles_per_sec=%.1f%n", perSec);
  }

  private static void loop(Locks locks, String name, LockOptions options, AtomicLong cycles, AtomicLong failures,
                           AtomicBoolean stop, Promise<Void> done) {
    if (stop.get()) {
      done.complete();
      return;
    }
    locks.acquire(name, options)
      .compose(Lease::release)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          cycles.incrementAndGet();
        } else {
          failures.incrementAndGet();
        }
        loop(locks, name, options, cycles, failures, stop, done);
      });
  }
}
