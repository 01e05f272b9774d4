package dev.colony.signal;

import io.vertx.core.Future;

/** A handler registered with {@link Signals#subscribe}. */
public interface Subscription {

  /** Completes once the handler is registered on the event bus; signals published before may be missed. */
  Future<Void> ready();

  /** Stops deliveries, including debounced ones still waiting. Idempotent; never fails. */
  Future<Void> unsubscribe();
}
