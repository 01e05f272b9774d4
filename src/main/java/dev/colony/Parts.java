package dev.colony;

import dev.colony.config.ColonyConfig;
import dev.colony.ids.IdsPart;
import dev.colony.lock.LocksPart;
import io.vertx.core.Vertx;

import java.util.List;

/** The node's parts, in start order, as the configuration selects them. */
final class Parts {

  private Parts() {
  }

  static List<Part> of(Vertx vertx, ColonyConfig config) {
    return List.of(new IdsPart(config), LocksPart.create(vertx, config));
  }
}
