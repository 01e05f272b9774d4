package dev.colony.signal;

import java.util.concurrent.ThreadLocalRandom;

/** Reconnect delays: doubling from {@code min} to {@code max}, with up to 25% jitter; not thread-safe. */
final class Backoff {

  private final long min;
  private final long max;
  private long next;

  Backoff(long min, long max) {
    if (min <= 0 || max < min) {
      throw new IllegalArgumentException("need 0 < min <= max");
    }
    this.min = min;
    this.max = max;
    this.next = min;
  }

  long next() {
    long d = next;
    next = Math.min(max, next * 2);
    return d + ThreadLocalRandom.current().nextLong(d / 4 + 1);
  }

  void reset() {
    next = min;
  }
}
