package dev.colony.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** At most one piece of work per key at a time; callers arriving while it runs share its outcome. */
final class SingleFlight {

  private final ConcurrentHashMap<String, Future<Object>> flights = new ConcurrentHashMap<>();

  Future<Object> run(String key, Supplier<Future<Object>> work) {
    Promise<Object> mine = Promise.promise();
    Future<Object> running = flights.putIfAbsent(key, mine.future());
    if (running != null) {
      return running;
    }
    Future<Object> outcome;
    try {
      outcome = work.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    // Removed before completion: a caller that comes after the outcome starts anew and finds the stored value.
    outcome.onComplete(ar -> {
      flights.remove(key, mine.future());
      mine.handle(ar);
    });
    return mine.future();
  }

  /** Keys with work under way, for tests. */
  int size() {
    return flights.size();
  }
}
