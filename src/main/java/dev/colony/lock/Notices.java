package dev.colony.lock;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits for which lock: a waiter registers before its attempt, so a release that follows a failed attempt
 * always finds it. Holds only names with live waiters.
 */
final class Notices {

  private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();

  Waiter watch(Vertx vertx, String name) {
    Waiter w = new Waiter(vertx, name);
    waiters.compute(name, (k, set) -> {
      Set<Waiter> s = set == null ? new HashSet<>() : set;
      s.add(w);
      return s;
    });
    return w;
  }

  /** Wakes every waiter of {@code name}. */
  void fire(String name) {
    Set<Waiter> woken = waiters.remove(name);
    if (woken != null) {
      woken.forEach(Waiter::wake);
    }
  }

  /** Wakes every waiter, e.g. after notices may have been missed. */
  void fireAll() {
    List.copyOf(waiters.keySet()).forEach(this::fire);
  }

  final class Waiter {

    private final Vertx vertx;
    private final String name;
    private final Context context;
    private final Promise<Void> woken = Promise.promise();
    private long timer = -1;

    private Waiter(Vertx vertx, String name) {
      this.vertx = vertx;
      this.name = name;
      this.context = vertx.getOrCreateContext();
    }

    /** Completes, on the watcher's context, at the next notice for the name or after {@code delayMs}. */
    Future<Void> await(long delayMs) {
      synchronized (this) {
        if (!woken.future().isComplete()) {
          timer = vertx.setTimer(Math.max(1, delayMs), id -> wake());
        }
      }
      return woken.future();
    }

    void cancel() {
      synchronized (this) {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
      }
      waiters.computeIfPresent(name, (k, s) -> {
        s.remove(this);
        return s.isEmpty() ? null : s;
      });
    }

    private void wake() {
      cancel();
      context.runOnContext(v -> woken.tryComplete());
    }
  }
}
