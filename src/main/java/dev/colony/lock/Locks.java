package dev.colony.lock;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Named locks held as leases: a lease lasts its ttl unless its holder's watchdog renews it, so a live holder keeps
 * its lock and a dead one loses it when the ttl runs out. Every lease carries a fencing token that strictly
 * increases per lock name, so a store can refuse writes from a holder whose lease has passed to someone else.
 * Waits are always bounded.
 *
 * <p>Implementations: {@link LocalLocks} (one JVM) and {@link RedisLocks} (a cluster). Bad arguments throw
 * {@link IllegalArgumentException} at the call; runtime problems are failed futures.
 */
public interface Locks {

  /**
   * Takes the lock {@code name}, waiting for it at most {@code options.waitTimeout()} (zero means one attempt).
   * The lease is renewed by a watchdog every ttl/3 until it is released, lost, or held for
   * {@code options.maxHold()}.
   *
   * <p>Fails with {@link LockTimeoutException} when the wait runs out, or with the store's error (for Redis, a
   * connection failure or a call that did not answer within its deadline).
   *
   * @throws IllegalArgumentException if {@code name} is null or empty, or {@code options} is null
   */
  Future<Lease> acquire(String name, LockOptions options);

  /** {@link #acquire(String, LockOptions)} with {@link LockOptions#DEFAULT} (ttl 30 s, wait 10 s). */
  default Future<Lease> acquire(String name) {
    return acquire(name, LockOptions.DEFAULT);
  }

  /**
   * Takes the lock {@code name} if it is free right now, without waiting. The lease is renewed by a watchdog
   * like one from {@link #acquire}. Answers {@code Optional.empty()} when another holder has the lock.
   *
   * <p>Fails with the store's error when the store cannot answer within its deadline.
   *
   * @throws IllegalArgumentException if {@code name} is null or empty, or {@code ttl} is null or under 1 ms
   */
  Future<Optional<Lease>> tryAcquire(String name, Duration ttl);

  /**
   * Acquires {@code name} as {@link #acquire} does, runs {@code work}, and releases the lease once the work's
   * future completes, whether it succeeded or failed, and also when {@code work} throws or returns null. The
   * result is the work's outcome; a failed release is not reported (the lease then ends with its ttl).
   *
   * <p>Fails as {@link #acquire} does (and {@code work} does not run), or with the work's failure.
   *
   * @throws IllegalArgumentException as {@link #acquire} does, or if {@code work} is null
   */
  default <T> Future<T> withLock(String name, LockOptions options, Supplier<Future<T>> work) {
    if (work == null) {
      throw new IllegalArgumentException("work must not be null");
    }
    return acquire(name, options).compose(lease -> {
      Future<T> result;
      try {
        result = Objects.requireNonNull(work.get(), "work returned null instead of a future");
      } catch (Throwable e) {
        result = Future.failedFuture(e);
      }
      return result.eventually(() -> lease.release().otherwiseEmpty());
    });
  }

  /** Releases every lease still held through this instance and closes its connections; never fails. */
  Future<Void> close();
}
