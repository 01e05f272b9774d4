package dev.colony.ids;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Worker id and id generator of the node. With {@code REDIS_URL} the worker id is leased (renewed every TTL/3;
 * leased again, with a fresh generator, when lost); with {@code WORKER_ID} alone it is pinned; otherwise it is
 * random, which the cluster-mode check allows on a single node only.
 */
public final class IdsPart implements Part {

  private static final Logger log = LoggerFactory.getLogger(IdsPart.class);
  private static final long MAX_RETRY_MS = 10_000;

  private final ColonyConfig.Ids config;
  private final String app;
  private final Ids ids;
  private final TickClock clock = TickClock.monotonic();
  private Vertx vertx;
  private Redis client;
  private RedisAPI redis;
  private long renewTimer = -1;
  /** A renewal or a new lease is under way; touched on the part's event loop only. */
  private boolean busy;
  private volatile boolean stopped;
  private IdGenerator previous;

  public IdsPart(ColonyConfig config) {
    this.config = config.ids();
    this.app = config.appName();
    this.ids = new Ids(IdLayout.parse(this.config.layout()));
  }

  /** The node's ids, for other parts. */
  public Ids ids() {
    return ids;
  }

  @Override
  public String name() {
    return "workerIds";
  }

  @Override
  public String adapter() {
    return config.redisUrl().isPresent() ? "redis-lease" : config.workerId().isPresent() ? "pinned" : "random";
  }

  @Override
  public Future<?> start(Node node) {
    vertx = node.vertx();
    IdLayout layout = ids.layout();
    if (config.redisUrl().isEmpty()) {
      int worker = config.workerId().orElseGet(() -> ThreadLocalRandom.current().nextInt(layout.maxWorker() + 1));
      ids.use(generator(worker, 0), null);
      log.info("Worker id {} ({}; {} ids)", worker, adapter(), layout.configName());
      return Future.succeededFuture();
    }
    client = Redis.createClient(vertx, new RedisOptions()
      .setConnectionString(config.redisUrl().get().value()).setMaxPoolSize(4).setMaxPoolWaiting(64));
    redis = RedisAPI.api(client);
    node.readiness().register("workerIdLease", 2000, p -> {
      WorkerLease lease = ids.currentLease();
      JsonObject data = new JsonObject().put("workerId", lease == null ? null : lease.slot());
      p.complete(ids.issuing() ? Status.OK(data) : Status.KO(data.put("reason", lease == null
        ? "no lease held; leasing" : "lease not confirmed by a renewal within 2/3 of its TTL")));
    });
    return lease().onSuccess(v -> renewTimer = vertx.setPeriodic(config.leaseTtlMs() / 3, t -> renew()));
  }

  private Future<Void> lease() {
    List<Integer> slots = config.workerId().isPresent() ? List.of(config.workerId().getAsInt())
      : IntStream.rangeClosed(0, ids.layout().maxWorker()).boxed().toList();
    return WorkerLease.acquire(redis, app, slots, config.leaseTtlMs(), horizonTick()).map(lease -> {
      long minTick = lease.lastTick() + 1;
      if (previous != null && previous.workerId() == lease.slot()) {
        minTick = Math.max(minTick, previous.lastTick() + 1);
      }
      ids.use(generator(lease.slot(), minTick), lease);
      long waitMs = TimeUnit.NANOSECONDS.toMillis(lease.issueFromNanos() - System.nanoTime());
      log.info("Worker id {} leased ({}; {} ids; TTL {} ms{})", lease.slot(), lease.key(), ids.layout().configName(),
        config.leaseTtlMs(), waitMs > 0 ? "; its previous holder may still issue, waiting " + waitMs + " ms" : "");
      return null;
    });
  }

  /**
   * The furthest tick an id can reach before this node must stop issuing, if the renewal about to be sent is the
   * last to succeed: ids stop 2/3 of the TTL after it was sent, and may run the borrowing bound ahead of the clock.
   */
  private long horizonTick() {
    return ids.layout().tickOf(clock.millis() + config.leaseTtlMs() * 2 / 3 + config.maxBorrowMs());
  }

  private IdGenerator generator(int worker, long minTick) {
    return new IdGenerator(ids.layout(), worker, clock, config.maxBorrowMs(), minTick);
  }

  private void renew() {
    WorkerLease lease = ids.currentLease();
    if (busy || lease == null || stopped) {
      return;
    }
    busy = true;
    lease.renew(Math.max(ids.currentGenerator().lastTick(), horizonTick())).onComplete(ar -> {
      if (ar.succeeded() && !ar.result() && !stopped) {
        log.warn("Worker-id lease {} was lost (expired or deleted); no ids until a slot is leased again", lease.key());
        previous = ids.currentGenerator();
        ids.suspend();
        leaseAgain(1000);
        return;
      }
      if (ar.failed()) {
        log.warn("Renewing worker-id lease {} failed: {}{}", lease.key(), ar.cause().getMessage(),
          lease.valid() ? "" : "; not issuing ids until a renewal succeeds");
      }
      busy = false;
    });
  }

  private void leaseAgain(long backoffMs) {
    if (stopped) {
      return;
    }
    lease().onComplete(ar -> {
      if (ar.succeeded()) {
        busy = false;
      } else {
        log.warn("Leasing a worker id again failed: {}; retrying in {} ms", ar.cause().getMessage(), backoffMs);
        vertx.setTimer(backoffMs, t -> leaseAgain(Math.min(backoffMs * 2, MAX_RETRY_MS)));
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (client == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(renewTimer);
    WorkerLease lease = ids.currentLease();
    Future<?> released = lease == null ? Future.succeededFuture()
      : lease.release(Math.max(lease.lastTick(), ids.currentGenerator().lastTick()))
        .onSuccess(ours -> log.info("Worker id {} released{}", lease.slot(), ours ? "" : " (it was no longer ours)"));
    ids.suspend();
    return released.eventually(() -> client.close());
  }

  @Override
  public void routes(Router router, Handler<RoutingContext> body) {
    IdRoutes.mount(router, ids);
  }

  @Override
  public void status(JsonObject status) {
    status.put("workerId", ids.workerId().isPresent() ? ids.workerId().getAsInt() : null);
    status.put("idLayout", ids.layout().configName());
  }
}
