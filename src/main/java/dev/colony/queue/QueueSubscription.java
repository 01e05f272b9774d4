package dev.colony.queue;

import io.vertx.core.Future;

/** A running consumer of one channel. */
public interface QueueSubscription {

  String channel();

  /** Stops fetching new messages; handlers already running finish. */
  void pause();

  /** Fetches again after {@link #pause()}. */
  void resume();

  /** Stops fetching, waits for running handlers (bounded by the handler timeout) and removes the consumer. */
  Future<Void> close();
}
