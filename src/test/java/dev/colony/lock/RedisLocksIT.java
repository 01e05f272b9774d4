package dev.colony.lock;

import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract against {@link RedisLocks} on the shared test Redis, plus what only Redis can show. */
class RedisLocksIT extends LocksContract {

  @Override
  Locks newClient(Vertx vertx) {
    RedisLocks locks = RedisLocks.create(vertx, APP, TestRedis.url());
    locks.start().await();
    return locks;
  }

  @Override
  void deleteBehindHoldersBack(String name) {
    redis.del(List.of(APP + ":lock:" + name)).await();
  }

  @Override
  List<String> storeKeys(String name) {
    return List.of(APP + ":lock:" + name, APP + ":lock-fence:" + name, APP + ":lock-waiters:" + name);
  }

  @Test
  void theLockKeyHoldsTheOwnerAndTheFenceKeyTheFence() throws Exception {
    String name = newName("layout");
    Lease lease = await(client().acquire(name, ttl(5000, 0)));

    assertThat(await(redis.get(APP + ":lock:" + name)).toString()).isEqualTo(lease.owner());
    assertThat(await(redis.get(APP + ":lock-fence:" + name)).toLong()).isEqualTo(lease.fence());
    assertThat(await(redis.pttl(APP + ":lock:" + name)).toLong()).isBetween(1L, 5000L);

    await(lease.release());
    assertThat(await(redis.exists(List.of(APP + ":lock:" + name))).toLong()).isZero();
  }

  @Test
  void aKilledHolderLosesTheLockWhenItsTtlEndsAndNotBefore() throws Exception {
    String name = newName("crash");
    long ttlMs = 2000;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
      LockHolderMain.class.getName(), TestRedis.url(), APP, name, Long.toString(ttlMs))
      .redirectErrorStream(true).start();
    try {
      CompletableFuture<Long> acquired = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("ACQUIRED ")) {
              return Long.parseLong(line.substring(9).trim());
            }
          }
          throw new IllegalStateException("child ended without taking the lock");
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      });
      long childFence = acquired.get(30, TimeUnit.SECONDS);
      // Let the child's watchdog renew at least once, so the kill lands mid-lease.
      Thread.sleep(ttlMs / 2);

      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      long killed = System.nanoTime();
      long pttl = await(redis.pttl(APP + ":lock:" + name)).toLong();
      long pttlRead = System.nanoTime();
      Locks other = client();
      assertThat(await(other.tryAcquire(name, Duration.ofSeconds(5)))).as("right after the kill").isEmpty();

      long attempt = System.nanoTime();
      Lease lease = await(other.acquire(name, ttl(5000, 10_000)));
      long obtained = System.nanoTime();

      System.out.printf("[RedisLocksIT] crashed holder: ttl=%d ms; child (fence %d) SIGKILLed at t=0; PTTL read at"
          + " t=%d ms: %d ms left; acquire attempt started at t=%d ms; lock obtained at t=%d ms (fence %d)%n",
        ttlMs, childFence, ms(pttlRead - killed), pttl, ms(attempt - killed), ms(obtained - killed), lease.fence());
      assertThat(pttl).isPositive();
      assertThat(ms(obtained - pttlRead)).as("obtained before the TTL ended").isGreaterThanOrEqualTo(pttl - 5);
      assertThat(ms(obtained - killed)).as("obtained before the TTL ended").isGreaterThanOrEqualTo(ttlMs / 2);
      assertThat(lease.fence()).isGreaterThan(childFence);
      await(lease.release());
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void whenRedisGoesAwayTheLeaseIsLostAfterItsTtlAndCallsFailWithinTheirDeadline() throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      RedisLocks locks = RedisLocks.create(vertx, APP,
        new RedisOptions().setConnectionString(server.url()), Duration.ofMillis(500));
      await(locks.start());
      Lease lease = await(locks.acquire("unreachable", ttl(900, 0)));

      server.kill();
      long killed = System.nanoTime();

      await(lease.lost());
      long lostAfter = ms(System.nanoTime() - killed);
      long start = System.nanoTime();
      Throwable e = failure(locks.acquire("unreachable-2", ttl(900, 100)));
      System.out.printf("[RedisLocksIT] redis killed: lost() after %d ms (ttl 900 ms); acquire failed after %d ms:"
        + " %s%n",
        lostAfter, ms(System.nanoTime() - start), e);
      assertThat(e).isNotInstanceOf(LockTimeoutException.class);
      await(locks.close());
    }
  }

  @Test
  void aLeaseWhoseRenewalsGoUnansweredIsLostWhenItsTtlEnds() throws Exception {
    try (PrivateRedis server = PrivateRedis.start()) {
      RedisLocks locks = RedisLocks.create(vertx, APP, server.url());
      await(locks.start());
      Lease lease = await(locks.acquire("paused", ttl(600, 0)));
      RedisAPI admin = redisApi(vertx, server.url());

      long paused = System.nanoTime();
      await(admin.client(List.of("PAUSE", "1500", "ALL")));

      await(lease.lost());
      long lostAfter = ms(System.nanoTime() - paused);
      System.out.printf("[RedisLocksIT] redis paused 1500 ms: lost() after %d ms (ttl 600 ms, call deadline 2000 ms)%n",
        lostAfter);
      assertThat(lostAfter).as("lost at the end of the ttl, not of the 2 s call deadline").isLessThan(2000);
      await(admin.client(List.of("UNPAUSE")));
      await(locks.close());
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

}
