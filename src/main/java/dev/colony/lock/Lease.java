package dev.colony.lock;

import io.vertx.core.Future;

import java.time.Duration;

/**
 * A held lock. Its watchdog renews it every ttl/3 until {@link #release()}, until it is lost, or until the
 * maximum hold time of its {@link LockOptions} has passed.
 */
public interface Lease {

  /** The lock's name. */
  String name();

  /** The random token that identifies this holder; the store only lets this token extend or release the lock. */
  String owner();

  /**
   * The fencing token: strictly greater than that of every earlier lease of the same name, across nodes and
   * restarts. Pass it to the store you protect and have it refuse writes carrying a smaller one.
   */
  long fence();

  /**
   * Sets the lease to expire {@code ttl} from now, and makes {@code ttl} the period the watchdog renews for.
   * Fails with {@link LockLostException} if the lease is no longer held (released, expired, or taken by another),
   * in which case {@link #lost()} completes if it was lost; fails with the store's error if the store does not
   * answer within its deadline.
   *
   * @throws IllegalArgumentException if {@code ttl} is null or under 1 ms
   */
  Future<Void> extend(Duration ttl);

  /**
   * Stops the watchdog and deletes the lock if this lease still owns it, waking the waiters. Idempotent: every
   * call returns the same future. Fails only with the store's error (the lock then ends with its ttl).
   */
  Future<Void> release();

  /**
   * Completes when the lease is lost while held: the store no longer has it under this owner (it expired or was
   * deleted, maybe taken by another), or its ttl ran out without a successful renewal. Never completes for a lease
   * released by its holder before that. Work guarded by the lease should stop when this completes.
   */
  Future<Void> lost();
}
