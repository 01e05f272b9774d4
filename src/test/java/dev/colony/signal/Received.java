package dev.colony.signal;

import io.vertx.core.Handler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Signals a test subscriber has received, and waiting for them from the JUnit thread. */
final class Received implements Handler<Signal> {

  final List<Signal> signals = new CopyOnWriteArrayList<>();

  @Override
  public void handle(Signal signal) {
    signals.add(signal);
  }

  int count() {
    return signals.size();
  }

  long count(Predicate<Signal> p) {
    return signals.stream().filter(p).count();
  }

  /** Waits until at least {@code n} signals arrived (or {@code timeoutMs} passed); returns the count. */
  int awaitCount(int n, long timeoutMs) {
    return awaitCount(s -> true, n, timeoutMs);
  }

  int awaitCount(Predicate<Signal> p, int n, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (count(p) < n && System.nanoTime() < deadline) {
      sleep(20);
    }
    return (int) count(p);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
