package dev.colony.lock;

import java.time.Duration;

/**
 * How to take a lock.
 *
 * @param ttl         how long the lease lasts without renewal; the watchdog renews it every ttl/3; at least 1 ms
 * @param waitTimeout how long {@link Locks#acquire} waits for a held lock; zero means a single attempt
 * @param maxHold     bound on the watchdog's renewals, counted from the acquisition: the lease expires at most
 *                    {@code maxHold} (rounded up to a renewal) after it was taken; zero means no bound
 */
public record LockOptions(Duration ttl, Duration waitTimeout, Duration maxHold) {

  /** ttl 30 s, wait 10 s, no hold bound. */
  public static final LockOptions DEFAULT =
    new LockOptions(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO);

  /** @throws IllegalArgumentException if a value is null, the ttl is under 1 ms, or a duration is negative */
  public LockOptions {
    ttl = checkTtl(ttl);
    if (waitTimeout == null || waitTimeout.isNegative()) {
      throw new IllegalArgumentException("waitTimeout must be zero or positive, got " + waitTimeout);
    }
    if (maxHold == null || maxHold.isNegative()) {
      throw new IllegalArgumentException("maxHold must be zero (no bound) or positive, got " + maxHold);
    }
  }

  /** The given ttl and wait, no hold bound. */
  public static LockOptions of(Duration ttl, Duration waitTimeout) {
    return new LockOptions(ttl, waitTimeout, Duration.ZERO);
  }

  public LockOptions withTtl(Duration ttl) {
    return new LockOptions(ttl, waitTimeout, maxHold);
  }

  public LockOptions withWaitTimeout(Duration waitTimeout) {
    return new LockOptions(ttl, waitTimeout, maxHold);
  }

  public LockOptions withMaxHold(Duration maxHold) {
    return new LockOptions(ttl, waitTimeout, maxHold);
  }

  static Duration checkTtl(Duration ttl) {
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
    }
    return ttl;
  }
}
