package dev.colony.ids;

import java.util.function.LongSupplier;

/** A millisecond clock that never goes backwards. */
@FunctionalInterface
public interface TickClock {

  /** Unix milliseconds, non-decreasing across calls. */
  long millis();

  /**
   * Wall time read once, then advanced by {@link System#nanoTime()}: a wall-clock step while running changes
   * nothing (a restart reads the wall clock again; the worker lease's last tick covers that).
   */
  static TickClock monotonic() {
    return monotonic(System::currentTimeMillis, System::nanoTime);
  }

  /** {@link #monotonic()} over the given wall clock and nanosecond timer. */
  static TickClock monotonic(LongSupplier wall, LongSupplier nanos) {
    long wallAtStart = wall.getAsLong();
    long nanoAtStart = nanos.getAsLong();
    return () -> wallAtStart + (nanos.getAsLong() - nanoAtStart) / 1_000_000;
  }
}
