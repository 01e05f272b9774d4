package dev.colony.ids;

import java.util.OptionalInt;

/**
 * The node's ids: one generator per JVM, shared by every verticle, issuing from memory without I/O. Under a
 * Redis lease it refuses to issue while the lease is not valid (being renewed late, lost, or just taken over
 * from a holder that may still be issuing), so two nodes never issue under the same worker id at once.
 */
public final class Ids {

  private record Current(IdGenerator generator, WorkerLease lease) {
  }

  private final IdLayout layout;
  private volatile Current current;

  Ids(IdLayout layout) {
    this.layout = layout;
  }

  /**
   * The next id.
   *
   * @throws IdExhaustedException   the generator is as far ahead of the clock as it may borrow
   * @throws IdUnavailableException this node holds no valid worker-id lease right now
   */
  public long next() {
    return generator().next();
  }

  /**
   * {@code count} consecutive ids (1..10000), all or none.
   *
   * @throws IllegalArgumentException count out of range
   * @throws IdExhaustedException     as {@link #next()}
   * @throws IdUnavailableException   as {@link #next()}
   */
  public long[] next(int count) {
    return generator().next(count);
  }

  public IdLayout layout() {
    return layout;
  }

  /** The worker id in use, empty while none is held. */
  public OptionalInt workerId() {
    Current c = current;
    return c == null ? OptionalInt.empty() : OptionalInt.of(c.generator.workerId());
  }

  /** Whether ids can be issued now. */
  public boolean issuing() {
    Current c = current;
    return c != null && (c.lease == null || c.lease.valid());
  }

  private IdGenerator generator() {
    Current c = current;
    if (c == null) {
      throw new IdUnavailableException("this node holds no worker id; it is leasing one", 1000);
    }
    if (c.lease != null && !c.lease.valid()) {
      long wait = Math.max(1000, (c.lease.issueFromNanos() - System.nanoTime()) / 1_000_000);
      throw new IdUnavailableException("worker-id lease " + c.lease.key() + " is not confirmed; retry shortly", wait);
    }
    return c.generator;
  }

  void use(IdGenerator generator, WorkerLease lease) {
    current = new Current(generator, lease);
  }

  /** The generator in use, if any, so a new one on the same slot can start after it. */
  IdGenerator currentGenerator() {
    Current c = current;
    return c == null ? null : c.generator;
  }

  WorkerLease currentLease() {
    Current c = current;
    return c == null ? null : c.lease;
  }

  void suspend() {
    current = null;
  }
}
