package dev.colony;

import dev.colony.cache.CachePart;
import dev.colony.config.ColonyConfig;
import dev.colony.ids.IdsPart;
import dev.colony.lock.LocksPart;
import dev.colony.queue.QueuePart;
import dev.colony.signal.SignalsPart;
import dev.colony.storage.SharedStoragePart;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The node's parts, in start order, as the configuration selects them. They stop in reverse: the queue closes
 * first (its handlers finish while they may still take locks), locks are released before the worker lease, which
 * goes last so ids stay unique until the node is gone. The cache starts after the signals its near caches are
 * invalidated by, and stops before them.
 */
final class Parts {

  private Parts() {
  }

  static List<Part> of(Vertx vertx, ColonyConfig config) {
    return List.of(new IdsPart(config), SignalsPart.fromConfig(config), CachePart.fromConfig(config),
      LocksPart.create(vertx, config), SharedStoragePart.fromConfig(config), new QueuePart(config));
  }
}
