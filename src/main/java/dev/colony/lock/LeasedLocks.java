package dev.colony.lock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What both adapters share: argument checks, the bounded wait, the leases and their watchdog. An adapter supplies
 * four atomic steps on its store (take, renew, drop, watch).
 */
abstract class LeasedLocks implements Locks {

  /** Fallback polling when no notice comes: a random delay in [POLL_MS, 2 * POLL_MS). */
  static final long POLL_MS = 250;

  /** The outcome of one attempt: the fence if taken, else how long the holder's lease has left (-1 unknown). */
  record Attempt(long fence, long remainingMs) {
    boolean taken() {
      return fence > 0;
    }
  }

  final Vertx vertx;
  private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  LeasedLocks(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Sets the lock to {@code owner} for {@code ttlMs} if nobody holds it, drawing a new fence. */
  abstract Future<Attempt> take(String name, String owner, long ttlMs);

  /** Sets the lock to expire in {@code ttlMs} if {@code owner} holds it; false if it does not. */
  abstract Future<Boolean> renew(String name, String owner, long ttlMs);

  /** Deletes the lock if {@code owner} holds it, waking its waiters; false if it does not. */
  abstract Future<Boolean> drop(String name, String owner);

  /** Registers interest in the next release of {@code name}. */
  abstract Notices.Waiter watch(String name);

  /** Closes the store's connections, after the leases were released. */
  abstract Future<Void> closeStore();

  @Override
  public Future<Lease> acquire(String name, LockOptions options) {
    checkName(name);
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("locks are closed"));
    }
    Promise<Lease> result = Promise.promise();
    attempt(name, newOwner(), options, System.nanoTime(), result);
    return result.future();
  }

  @Override
  public Future<Optional<Lease>> tryAcquire(String name, Duration ttl) {
    checkName(name);
    LockOptions options = LockOptions.of(LockOptions.checkTtl(ttl), Duration.ZERO);
    if (closed) {
      return Future.failedFuture(new IllegalStateException("locks are closed"));
    }
    String owner = newOwner();
    long sent = System.nanoTime();
    return takeOrClean(name, owner, options.ttl().toMillis())
      .map(a -> a.taken() ? Optional.of(hold(name, owner, a.fence(), options, sent)) : Optional.empty());
  }

  /** One attempt; when the lock is busy, waits for a notice or a poll, bounded by what is left of the wait. */
  private void attempt(String name, String owner, LockOptions options, long start, Promise<Lease> result) {
    // Registered before the attempt, so a release right after a failed attempt still finds this waiter.
    Notices.Waiter waiter = options.waitTimeout().isZero() ? null : watch(name);
    long sent = System.nanoTime();
    takeOrClean(name, owner, options.ttl().toMillis()).onComplete(ar -> {
      if (ar.failed()) {
        cancel(waiter);
        result.fail(ar.cause());
        return;
      }
      Attempt a = ar.result();
      if (a.taken()) {
        cancel(waiter);
        if (closed) {
          // close() may have released the held leases already: do not leave this one behind.
          drop(name, owner);
          result.fail(new IllegalStateException("locks are closed"));
        } else {
          result.complete(hold(name, owner, a.fence(), options, sent));
        }
        return;
      }
      long now = System.nanoTime();
      long leftMs = TimeUnit.NANOSECONDS.toMillis(start + options.waitTimeout().toNanos() - now);
      if (leftMs <= 0 || closed) {
        cancel(waiter);
        result.fail(closed ? new IllegalStateException("locks are closed")
          : new LockTimeoutException(name, Duration.ofNanos(now - start)));
        return;
      }
      waiter.await(Math.min(leftMs, pollDelay(a.remainingMs())))
        .onComplete(v -> attempt(name, owner, options, start, result));
    });
  }

  private static void cancel(Notices.Waiter waiter) {
    if (waiter != null) {
      waiter.cancel();
    }
  }

  /** A failed or timed-out take may still have set the lock: try to delete it rather than wait for its ttl. */
  private Future<Attempt> takeOrClean(String name, String owner, long ttlMs) {
    return take(name, owner, ttlMs).onFailure(e -> drop(name, owner));
  }

  /** Jittered polling, but never much past the moment the holder's lease ends if it is not renewed. */
  static long pollDelay(long remainingMs) {
    long poll = POLL_MS + ThreadLocalRandom.current().nextLong(POLL_MS);
    return remainingMs < 0 ? poll : Math.min(poll, remainingMs + 1 + ThreadLocalRandom.current().nextLong(10));
  }

  private Lease hold(String name, String owner, long fence, LockOptions options, long sentNanos) {
    HeldLease lease = new HeldLease(this, name, owner, fence, options, sentNanos);
    held.add(lease);
    lease.start();
    return lease;
  }

  void forget(HeldLease lease) {
    held.remove(lease);
  }

  /** How many leases this instance holds now. */
  public int heldCount() {
    return held.size();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> releases = held.stream().map(l -> l.release().otherwiseEmpty()).toList();
    return Future.join(releases).otherwiseEmpty().compose(v -> closeStore()).otherwiseEmpty().mapEmpty();
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("lock name must not be empty");
    }
  }

  /**
   * 122 random bits from SecureRandom: unique among holders (a token only has to differ from every other holder's),
   * including holders in other JVMs started at the same instant, which a time-seeded generator does not promise.
   */
  private static String newOwner() {
    return UUID.randomUUID().toString();
  }
}
