package dev.colony.lock;

import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * A child process for the crashed-holder test: takes a lock and keeps it (its watchdog renewing) until it is
 * killed. Arguments: Redis URL, app prefix, lock name, ttl in ms. Prints {@code ACQUIRED <fence>} once it holds it.
 */
public final class LockHolderMain {

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    RedisLocks locks = RedisLocks.create(vertx, args[1], args[0]);
    locks.start()
      .compose(v -> locks.acquire(args[2], LockOptions.of(Duration.ofMillis(Long.parseLong(args[3])), Duration.ZERO)))
      .onSuccess(lease -> {
        System.out.println("ACQUIRED " + lease.fence());
        System.out.flush();
      })
      .onFailure(e -> {
        System.out.println("FAILED " + e);
        System.exit(1);
      });
  }
}
