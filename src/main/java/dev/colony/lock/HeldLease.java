package dev.colony.lock;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lease and its watchdog: every ttl/3 it renews the lease, each success extending its validity to the moment
 * the renewal was sent plus the ttl (a bound the store cannot exceed). The lease is lost when a renewal finds the
 * lock gone or owned by another, or when that validity passes without a successful renewal.
 */
final class HeldLease implements Lease {

  private enum State { HELD, RELEASED, LOST }

  private final LeasedLocks locks;
  private final String name;
  private final String owner;
  private final long fence;
  private final long holdUntil;
  private final Context context;
  private final Promise<Void> lost = Promise.promise();
  // Guarded by this.
  private State state = State.HELD;
  private long ttlMs;
  private long validUntil;
  private long timer = -1;
  private Promise<Void> released;

  HeldLease(LeasedLocks locks, String name, String owner, long fence, LockOptions options, long sentNanos) {
    this.locks = locks;
    this.name = name;
    this.owner = owner;
    this.fence = fence;
    this.ttlMs = options.ttl().toMillis();
    this.validUntil = sentNanos + TimeUnit.MILLISECONDS.toNanos(ttlMs);
    this.holdUntil = options.maxHold().isZero() ? Long.MAX_VALUE : sentNanos + options.maxHold().toNanos();
    this.context = locks.vertx.getOrCreateContext();
  }

  void start() {
    synchronized (this) {
      schedule(ttlMs / 3);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public long fence() {
    return fence;
  }

  @Override
  public Future<Void> lost() {
    return lost.future();
  }

  @Override
  public Future<Void> extend(Duration ttl) {
    long ms = LockOptions.checkTtl(ttl).toMillis();
    synchronized (this) {
      if (state != State.HELD) {
        return Future.failedFuture(new LockLostException(name));
      }
    }
    long sent = System.nanoTime();
    return locks.renew(name, owner, ms).compose(ok -> {
      synchronized (this) {
        if (ok && state == State.HELD) {
          ttlMs = ms;
          renewed(sent, ms);
          return Future.succeededFuture();
        }
      }
      if (!ok) {
        lose(false);
      }
      return Future.failedFuture(new LockLostException(name));
    });
  }

  @Override
  public Future<Void> release() {
    synchronized (this) {
      if (released != null) {
        return released.future();
      }
      released = Promise.promise();
      if (state == State.HELD) {
        state = State.RELEASED;
      }
      cancelTimer();
    }
    locks.drop(name, owner).<Void>mapEmpty().onComplete(ar -> {
      locks.forget(this);
      released.handle(ar);
    });
    return released.future();
  }

  private void tick() {
    long now = System.nanoTime();
    long ttl;
    synchronized (this) {
      timer = -1;
      if (state != State.HELD) {
        return;
      }
      if (now - validUntil >= 0) {
        ttl = 0;
      } else {
        ttl = Math.min(ttlMs, TimeUnit.NANOSECONDS.toMillis(holdUntil - now));
        // Held for maxHold: no more renewals, the lease ends with its current validity. Renewing: should the
        // store not answer, the lease is lost when its validity ends, not when the call's deadline does.
        schedule(untilInvalidMs());
        if (ttl <= 0) {
          return;
        }
      }
    }
    if (ttl == 0) {
      lose(true);
      return;
    }
    locks.renew(name, owner, ttl).onComplete(ar -> {
      if (ar.succeeded() && !ar.result()) {
        lose(false);
        return;
      }
      synchronized (this) {
        if (state != State.HELD) {
          return;
        }
        if (ar.succeeded()) {
          renewed(now, ttl);
        } else {
          // The store did not answer: try again soon, until the lease's validity runs out.
          cancelTimer();
          schedule(Math.min(Math.max(1, Math.min(ttlMs / 10, 1000)), untilInvalidMs()));
        }
      }
    });
  }

  // Called holding this.
  private void renewed(long sentNanos, long ttl) {
    validUntil = sentNanos + TimeUnit.MILLISECONDS.toNanos(ttl);
    cancelTimer();
    schedule(Math.min(ttlMs / 3, untilInvalidMs()));
  }

  // Called holding this.
  private long untilInvalidMs() {
    return TimeUnit.NANOSECONDS.toMillis(validUntil - System.nanoTime()) + 1;
  }

  // Called holding this.
  private void schedule(long delayMs) {
    timer = locks.vertx.setTimer(Math.max(1, delayMs), id -> tick());
  }

  // Called holding this.
  private void cancelTimer() {
    if (timer >= 0) {
      locks.vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** {@code expired}: our validity ran out, so the store may still hold the lock for us: delete it if so. */
  private void lose(boolean expired) {
    synchronized (this) {
      if (state != State.HELD) {
        return;
      }
      state = State.LOST;
      cancelTimer();
    }
    locks.forget(this);
    if (expired) {
      locks.drop(name, owner);
    }
    context.runOnContext(v -> lost.tryComplete());
  }
}
