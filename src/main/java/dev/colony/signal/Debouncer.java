package dev.colony.signal;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges identical signals: the first of a kind opens a window of {@code windowMs}; identical ones arriving
 * before it closes are folded in; when it closes the handler gets the last of them. The window is not
 * extended by later arrivals, so a steady stream is still delivered once per window. Runs on one context
 * (the subscriber's); not thread-safe.
 */
final class Debouncer implements Handler<Signal> {

  /** Schedules {@code task} after {@code delayMs}; returns a timer id for {@link #cancel}. */
  interface Timers {
    long schedule(long delayMs, Runnable task);

    void cancel(long id);
  }

  private final long windowMs;
  private final Timers timers;
  private final Handler<Signal> handler;
  private final Map<String, Signal> pending = new HashMap<>();
  private final Map<String, Long> windows = new HashMap<>();

  Debouncer(long windowMs, Timers timers, Handler<Signal> handler) {
    this.windowMs = windowMs;
    this.timers = timers;
    this.handler = handler;
  }

  @Override
  public void handle(Signal signal) {
    String key = canonical(signal.message());
    if (pending.put(key, signal) == null) {
      windows.put(key, timers.schedule(windowMs, () -> {
        windows.remove(key);
        Signal last = pending.remove(key);
        if (last != null) {
          handler.handle(last);
        }
      }));
    }
  }

  /** Drops the signals still waiting. */
  void cancel() {
    windows.values().forEach(timers::cancel);
    windows.clear();
    pending.clear();
  }

  int waiting() {
    return pending.size();
  }

  /** The JSON text with every object's keys sorted, so key order does not make two messages differ. */
  static String canonical(JsonObject json) {
    return sorted(json).toString();
  }

  private static Object sorted(Object value) {
    if (value instanceof JsonObject o) {
      // Iterating a JsonObject (unlike getMap()) wraps nested maps and lists as JsonObject/JsonArray.
      TreeMap<String, Object> m = new TreeMap<>();
      for (Map.Entry<String, Object> e : o) {
        m.put(e.getKey(), sorted(e.getValue()));
      }
      return new JsonObject(new LinkedHashMap<>(m));
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }
}
