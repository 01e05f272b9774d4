package dev.colony.lock;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * The node's locks: {@link RedisLocks} when {@code LOCK_ADAPTER_DEFAULT=redis}, else {@link LocalLocks}. With Redis
 * it subscribes at start (failing the start if Redis does not answer) and registers the {@code locks} readiness
 * check (a PING with a deadline). Stopping releases the leases still held and closes the clients.
 */
public final class LocksPart implements Part {

  private static final long CHECK_TIMEOUT_MS = 2000;

  private final LeasedLocks locks;
  private final String adapter;

  private LocksPart(LeasedLocks locks, String adapter) {
    this.locks = locks;
    this.adapter = adapter;
  }

  /** The locks the configuration selects; nothing connects before {@link #start(Node)}. */
  public static LocksPart create(Vertx vertx, ColonyConfig config) {
    ColonyConfig.Locks c = config.locks();
    return "redis".equals(c.adapter())
      ? new LocksPart(RedisLocks.create(vertx, config.appName(), c.redisUrl().value()), "redis")
      : new LocksPart(LocalLocks.create(vertx), "local");
  }

  /** The locks, for the rest of the node; shared by every verticle instance. */
  public Locks locks() {
    return locks;
  }

  @Override
  public String name() {
    return "locks";
  }

  @Override
  public String adapter() {
    return adapter;
  }

  @Override
  public Future<?> start(Node node) {
    if (!(locks instanceof RedisLocks redis)) {
      return Future.succeededFuture();
    }
    node.readiness().register("locks", CHECK_TIMEOUT_MS, p -> redis.ping()
      .onSuccess(v -> p.complete(Status.OK()))
      .onFailure(e -> p.complete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    return redis.start();
  }

  @Override
  public Future<?> stop() {
    return locks.close();
  }

  @Override
  public void status(JsonObject status) {
    status.put("locks", new JsonObject().put("adapter", adapter).put("held", locks.heldCount()));
  }
}
