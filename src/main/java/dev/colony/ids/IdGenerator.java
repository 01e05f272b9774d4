package dev.colony.ids;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues unique, strictly increasing ids for one worker id, lock-free: the whole state is one {@link AtomicLong}
 * holding the last id issued without its worker bits ({@code tick << sequenceBits | sequence}), advanced by
 * compare-and-set. When a tick's sequence is used up the next id takes the next tick, ahead of the clock
 * ("borrowing"), up to {@code maxBorrowMs}; past that it throws {@link IdExhaustedException} at once. It never
 * sleeps or spins waiting for time, so it is safe on an event loop.
 */
public final class IdGenerator {

  private final IdLayout layout;
  private final int workerId;
  private final TickClock clock;
  private final long maxBorrowTicks;
  private final int sequenceBits;
  private final long workerBits;
  private final int tickShift;
  private final long sequenceMask;
  private final AtomicLong last;

  /**
   * @param minTick the first tick this generator may use (a leased slot's recorded last tick + 1), or 0
   * @throws IllegalArgumentException worker id out of the layout's range, or negative bounds
   */
  public IdGenerator(IdLayout layout, int workerId, TickClock clock, long maxBorrowMs, long minTick) {
    if (workerId < 0 || workerId > layout.maxWorker()) {
      throw new IllegalArgumentException("worker id " + workerId + " is out of range 0.." + layout.maxWorker()
        + " for the " + layout.configName() + " layout");
    }
    if (maxBorrowMs < 0 || minTick < 0) {
      throw new IllegalArgumentException("maxBorrowMs and minTick must not be negative");
    }
    this.layout = layout;
    this.workerId = workerId;
    this.clock = clock;
    this.maxBorrowTicks = maxBorrowMs / layout.tickMillis();
    this.sequenceBits = layout.sequenceBits();
    this.workerBits = (long) workerId << sequenceBits;
    this.tickShift = sequenceBits + layout.workerBits();
    this.sequenceMask = layout.maxSequence();
    this.last = new AtomicLong((minTick << sequenceBits) - 1);
  }

  /** The next id; {@link IdExhaustedException} if it would run further ahead of the clock than allowed. */
  public long next() {
    return idOf(reserve(1));
  }

  /**
   * {@code count} consecutive ids, all or none, reserved with one compare-and-set.
   *
   * @throws IllegalArgumentException count outside 1..10000
   * @throws IdExhaustedException     the last of them would run too far ahead of the clock
   */
  public long[] next(int count) {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("count must be from 1 to 10000, got " + count);
    }
    long state = reserve(count);
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = idOf(state + i); // a full sequence carries into the tick bits of the packed state
    }
    return ids;
  }

  /** Reserves {@code count} states after the last one; returns the first. */
  private long reserve(int count) {
    while (true) {
      long now = layout.tickOf(clock.millis());
      long prev = last.get();
      long first = Math.max(prev + 1, now << sequenceBits);
      long end = first + count - 1;
      long ahead = (end >> sequenceBits) - now;
      if (ahead > maxBorrowTicks) {
        throw new IdExhaustedException(layout, Math.max(1, (ahead - maxBorrowTicks) * layout.tickMillis()));
      }
      if (end >> sequenceBits > layout.maxTick()) {
        throw new IllegalStateException("the " + layout.configName() + " layout has run out of ticks");
      }
      if (last.compareAndSet(prev, end)) {
        return first;
      }
    }
  }

  private long idOf(long state) {
    return (state >> sequenceBits) << tickShift | workerBits | (state & sequenceMask);
  }

  /** The tick of the last id issued (or {@code minTick - 1} before the first). */
  public long lastTick() {
    return last.get() >> sequenceBits;
  }

  public int workerId() {
    return workerId;
  }

  public IdLayout layout() {
    return layout;
  }
}
