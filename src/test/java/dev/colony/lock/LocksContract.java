package dev.colony.lock;

import dev.colony.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link Locks}, run against every adapter by a subclass. The mutual-exclusion counter lives in
 * the shared test Redis for every adapter; all keys carry a per-run prefix and are deleted afterwards.
 */
@ExtendWith(VertxExtension.class)
abstract class LocksContract {

  /** A prefix per run, so runs never see each other's keys in the shared Redis. */
  static final String APP = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);

  Vertx vertx;
  RedisAPI redis;
  private final List<Vertx> extraVertx = new ArrayList<>();
  private final List<Locks> clients = new ArrayList<>();
  private final List<Redis> redisClients = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();

  /** A new, independent client of the adapter on {@code vertx}, ready for use. */
  abstract Locks newClient(Vertx vertx);

  /** Deletes lock {@code name} behind its holder's back. */
  abstract void deleteBehindHoldersBack(String name);

  /** The keys the adapter keeps for lock {@code name}, to clean up (none for local locks). */
  abstract List<String> storeKeys(String name);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.redis = redisApi(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Locks c : clients) {
      await(c.close());
    }
    if (!keys.isEmpty()) {
      await(redis.del(keys));
    }
    for (Redis r : redisClients) {
      await(r.close());
    }
    for (Vertx v : extraVertx) {
      await(v.close());
    }
  }

  Locks client() {
    return client(vertx);
  }

  Locks client(Vertx v) {
    Locks c = newClient(v);
    clients.add(c);
    return c;
  }

  RedisAPI redisApi(Vertx v) {
    return redisApi(v, TestRedis.url());
  }

  RedisAPI redisApi(Vertx v, String url) {
    Redis r = Redis.createClient(v, url);
    redisClients.add(r);
    return RedisAPI.api(r);
  }

  String newName(String what) {
    String name = what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    keys.addAll(storeKeys(name));
    return name;
  }

  static LockOptions ttl(long ttlMs, long waitMs) {
    return LockOptions.of(Duration.ofMillis(ttlMs), Duration.ofMillis(waitMs));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  @Test
  void fourClientsIncrementingInsideWithLockLoseNoUpdate() throws Exception {
    String name = newName("counter");
    String counter = APP + ":counter:" + name;
    keys.add(counter);
    List<Future<Void>> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      Vertx v = Vertx.vertx();
      extraVertx.add(v);
      Locks locks = client(v);
      RedisAPI api = redisApi(v);
      Supplier<Future<Void>> increment = () -> api.get(counter)
        .compose(r -> api.set(List.of(counter, Long.toString(r == null ? 1 : r.toLong() + 1))))
        .mapEmpty();
      Promise<Void> done = Promise.promise();
      v.runOnContext(x -> repeat(250, () -> locks.withLock(name, ttl(5000, 30_000), increment), done));
      runs.add(done.future());
    }
    Future.all(runs).await(60, TimeUnit.SECONDS);
    long value = Long.parseLong(await(redis.get(counter)).toString());
    System.out.printf("[%s] mutual exclusion: 4 clients x 250 GET+SET increments inside withLock -> counter=%d"
      + " in %d ms%n", getClass().getSimpleName(), value, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(value).isEqualTo(1000);
  }

  /** Runs {@code step} {@code times} times, one after the other, without nesting the futures. */
  private static void repeat(int times, Supplier<Future<Void>> step, Promise<Void> done) {
    if (times == 0) {
      done.complete();
      return;
    }
    step.get().onSuccess(v -> repeat(times - 1, step, done)).onFailure(done::fail);
  }

  @Test
  void releaseByAnotherOwnerTokenIsIgnored() throws Exception {
    String name = newName("owner");
    LeasedLocks locks = (LeasedLocks) client();
    Lease lease = await(locks.acquire(name, ttl(5000, 0)));

    assertThat(await(locks.drop(name, "not-the-owner"))).isFalse();

    assertThat(await(client().tryAcquire(name, Duration.ofSeconds(5)))).isEmpty();
    await(lease.release());
  }

  @Test
  void releaseByAStaleHolderLeavesTheNewHolderAlone() throws Exception {
    String name = newName("stale");
    Locks a = client();
    Locks b = client();
    LockOptions briefly = new LockOptions(Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(300));
    Lease stale = await(a.acquire(name, briefly));
    await(stale.lost());
    Lease current = await(b.acquire(name, ttl(5000, 5000)));

    await(stale.release());

    assertThat(await(client().tryAcquire(name, Duration.ofSeconds(5)))).isEmpty();
    assertThat(current.fence()).isGreaterThan(stale.fence());
    await(current.extend(Duration.ofSeconds(5)));
    await(current.release());
  }

  @Test
  void aSecondReleaseIsHarmless() throws Exception {
    String name = newName("twice");
    Locks a = client();
    Lease first = await(a.acquire(name, ttl(5000, 0)));
    Future<Void> r1 = first.release();
    await(r1);
    Lease second = await(client().acquire(name, ttl(5000, 0)));

    Future<Void> r2 = first.release();

    assertThat(r2).isSameAs(r1);
    await(r2);
    assertThat(await(client().tryAcquire(name, Duration.ofSeconds(5)))).isEmpty();
    await(second.release());
    assertThat(await(client().tryAcquire(name, Duration.ofSeconds(5)))).isPresent();
  }

  @Test
  void fencesStrictlyIncreaseAcrossHolders() throws Exception {
    String name = newName("fence");
    List<Locks> holders = List.of(client(), client(), client());
    long last = 0;
    for (int i = 0; i < 9; i++) {
      Lease lease = await(holders.get(i % 3).acquire(name, ttl(5000, 5000)));
      assertThat(lease.fence()).isGreaterThan(last);
      last = lease.fence();
      await(lease.release());
    }
  }

  @Test
  void fencesStrictlyIncreaseAcrossARestartOfTheClient() throws Exception {
    String name = newName("restart");
    Locks before = client();
    Lease first = await(before.acquire(name, ttl(5000, 0)));
    await(first.release());
    await(before.close());

    Lease second = await(client().acquire(name, ttl(5000, 0)));

    assertThat(second.fence()).isGreaterThan(first.fence());
    await(second.release());
  }

  @Test
  void watchdogKeepsTheLockThreeTimesTheTtl() throws Exception {
    String name = newName("watchdog");
    Locks other = client();
    Lease lease = await(client().acquire(name, ttl(600, 0)));
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * 600 + 100);
    int probes = 0;
    while (System.nanoTime() < until) {
      assertThat(await(other.tryAcquire(name, Duration.ofSeconds(5)))).as("probe %d", probes).isEmpty();
      probes++;
      Thread.sleep(100);
    }
    assertThat(lease.lost().isComplete()).isFalse();
    await(lease.release());
    assertThat(await(other.tryAcquire(name, Duration.ofSeconds(5)))).isPresent();
  }

  @Test
  void deletingTheLockBehindTheHoldersBackFiresLost() throws Exception {
    String name = newName("lost");
    Lease lease = await(client().acquire(name, ttl(600, 0)));

    deleteBehindHoldersBack(name);

    await(lease.lost());
    assertThat(failure(lease.extend(Duration.ofSeconds(1)))).isInstanceOf(LockLostException.class);
  }

  @Test
  void maxHoldBoundsTheRenewals() throws Exception {
    String name = newName("maxhold");
    long start = System.nanoTime();
    Lease lease = await(client().acquire(name, new LockOptions(Duration.ofMillis(300), Duration.ZERO,
      Duration.ofMillis(600))));

    await(lease.lost());

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(550);
    assertThat(await(client().tryAcquire(name, Duration.ofSeconds(5)))).isPresent();
  }

  @Test
  void tryAcquireOnAHeldLockAnswersEmptyAtOnce() throws Exception {
    String name = newName("try");
    Lease lease = await(client().acquire(name, ttl(30_000, 0)));
    Locks other = client();

    long start = System.nanoTime();
    Optional<Lease> none = await(other.tryAcquire(name, Duration.ofSeconds(30)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(none).isEmpty();
    assertThat(ms).isLessThan(2000);
    await(lease.release());
  }

  @Test
  void acquireWithA200msWaitTimesOutAfterAbout200ms() throws Exception {
    String name = newName("wait");
    Lease lease = await(client().acquire(name, ttl(30_000, 0)));
    Locks other = client();

    long start = System.nanoTime();
    Throwable e = failure(other.acquire(name, ttl(30_000, 200)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    System.out.printf("[%s] acquire with a 200 ms wait on a held lock failed after %d ms: %s%n",
      getClass().getSimpleName(), ms, e);
    assertThat(e).isInstanceOf(LockTimeoutException.class);
    assertThat(ms).isGreaterThanOrEqualTo(150);
    await(lease.release());
  }

  @Test
  void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
    String name = newName("handoff");
    Lease lease = await(client().acquire(name, ttl(30_000, 0)));
    Future<Lease> waiting = client().acquire(name, ttl(30_000, 10_000));
    Thread.sleep(100);
    assertThat(waiting.isComplete()).isFalse();

    await(lease.release());

    assertThat(await(waiting).fence()).isGreaterThan(lease.fence());
    await(waiting.result().release());
  }

  @Test
  void withLockReleasesWhenTheWorkFailsThrowsOrReturnsNull() throws Exception {
    String name = newName("withlock");
    Locks locks = client();
    Locks other = client();
    LockOptions options = ttl(30_000, 0);

    assertThat(failure(locks.withLock(name, options, () -> Future.failedFuture("boom")))).hasMessage("boom");
    assertThat(failure(locks.withLock(name, options, () -> {
      throw new IllegalStateException("thrown");
    }))).hasMessage("thrown");
    assertThat(failure(locks.withLock(name, options, () -> null))).isInstanceOf(NullPointerException.class);
    assertThat(await(locks.withLock(name, options, () -> Future.succeededFuture(42)))).isEqualTo(42);

    assertThat(await(other.tryAcquire(name, Duration.ofSeconds(5)))).isPresent();
  }

  @Test
  void badInputThrowsAtTheCall() throws Exception {
    Locks locks = client();
    Lease lease = await(locks.acquire(newName("bad"), ttl(5000, 0)));

    assertThatThrownBy(() -> locks.acquire("", LockOptions.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.acquire(null, LockOptions.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.tryAcquire("", Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.withLock("", LockOptions.DEFAULT, Future::succeededFuture))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.tryAcquire("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.tryAcquire("x", Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.acquire("x", ttl(0, 100))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> locks.acquire("x", ttl(1000, -1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LockOptions.DEFAULT.withWaitTimeout(Duration.ofMillis(-200)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> lease.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    await(lease.release());
  }
}
