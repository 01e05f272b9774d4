package dev.colony.storage;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ServiceUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks that {@code STORAGE_PATH} is really shared by the nodes of a cluster. Every node writes a marker file
 * {@code <storage>/.colony/nodes/<nodeId>} (its last heartbeat time) at start and every {@value #HEARTBEAT_MS} ms,
 * and deletes it on a graceful stop. In cluster mode it also records the same heartbeat in the Redis hash
 * {@code <APP_NAME>:nodes} (field node id, value epoch ms), after the marker, so a node listed there has already
 * written its marker. The readiness check {@code sharedStorage} lists the nodes whose heartbeat is younger than
 * {@value #LIVE_MS} ms and fails, naming them, if the marker of any of them is not visible here: their storage is
 * not this node's (a per-node disk, a ReadWriteOnce volume, a wrong mount path). Heartbeats are compared across
 * nodes in wall-clock time, so clocks must agree to within a few seconds (NTP); a node killed without a graceful
 * stop leaves its field until it is older than {@value #STALE_MS} ms, when any node's check deletes it, and
 * its marker file, which is harmless. On a single node only the marker is written.
 */
public final class SharedStoragePart implements Part {

  static final long HEARTBEAT_MS = 5_000;
  static final long LIVE_MS = 3 * HEARTBEAT_MS;
  static final long STALE_MS = 20 * HEARTBEAT_MS;
  private static final long DEADLINE_MS = 2_000;
  private static final Logger log = LoggerFactory.getLogger(SharedStoragePart.class);

  private final Optional<ServiceUrl> redisUrl;
  private final String key;
  private Vertx vertx;
  private String nodeId;
  private Path markers;
  private Redis client;
  private RedisAPI redis;
  private long timer = -1;

  private SharedStoragePart(ColonyConfig config) {
    this.redisUrl = config.clustered()
      ? config.ids().redisUrl().or(() -> config.signals().redisUrl()) : Optional.empty();
    this.key = config.appName() + ":nodes";
  }

  public static SharedStoragePart fromConfig(ColonyConfig config) {
    return new SharedStoragePart(config);
  }

  @Override
  public String name() {
    return "sharedStorage";
  }

  @Override
  public String adapter() {
    return redisUrl.isPresent() ? "redis" : "local";
  }

  @Override
  public Future<?> start(Node node) {
    vertx = node.vertx();
    nodeId = node.nodeId();
    markers = node.config().storagePath().resolve(".colony").resolve("nodes");
    if (redisUrl.isPresent()) {
      client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl.get().value())
        .setMaxPoolSize(2).setMaxPoolWaiting(16));
      redis = RedisAPI.api(client);
      node.readiness().register("sharedStorage", DEADLINE_MS * 2, p -> check()
        .onSuccess(p::complete)
        .onFailure(e -> p.complete(Status.KO(new JsonObject().put("error", "listing live nodes in " + key
          + " failed: " + e.getMessage())))));
    }
    return vertx.fileSystem().mkdirs(markers.toString())
      .compose(v -> heartbeat())
      .onSuccess(v -> timer = vertx.setPeriodic(HEARTBEAT_MS, t -> heartbeat()
        .onFailure(e -> log.warn("Storage heartbeat failed: {}", e.getMessage()))));
  }

  /** Writes the marker, then (cluster mode) the Redis heartbeat: a listed node has written its marker. */
  private Future<Void> heartbeat() {
    String now = Long.toString(System.currentTimeMillis());
    Future<Void> written = vertx.fileSystem().writeFile(markers.resolve(nodeId).toString(), Buffer.buffer(now));
    return redis == null ? written : written.compose(v -> redis.hset(List.of(key, nodeId, now))
      .timeout(DEADLINE_MS, TimeUnit.MILLISECONDS).mapEmpty());
  }

  private Future<Status> check() {
    return redis.hgetall(key).timeout(DEADLINE_MS, TimeUnit.MILLISECONDS).compose(all -> {
      long now = System.currentTimeMillis();
      List<String> live = new ArrayList<>();
      List<String> stale = new ArrayList<>();
      for (String id : all.getKeys()) {
        long age = now - parse(all.get(id));
        if (!id.equals(nodeId) && age < LIVE_MS) {
          live.add(id);
        } else if (age > STALE_MS) {
          stale.add(id);
        }
      }
      if (!stale.isEmpty()) {
        List<String> args = new ArrayList<>(List.of(key));
        args.addAll(stale);
        redis.hdel(args).onFailure(e -> log.debug("Pruning {} failed: {}", key, e.getMessage()));
      }
      List<Future<Boolean>> seen = live.stream()
        .map(id -> vertx.fileSystem().exists(markers.resolve(id).toString())).toList();
      return Future.all(seen).map(v -> {
        JsonArray missing = new JsonArray();
        for (int i = 0; i < live.size(); i++) {
          if (!seen.get(i).result()) {
            missing.add(live.get(i));
          }
        }
        JsonObject data = new JsonObject().put("path", markers.getParent().getParent().toString())
          .put("otherLiveNodes", live.size());
        return missing.isEmpty() ? Status.OK(data) : Status.KO(data.put("missingMarkers", missing)
          .put("reason", "live nodes' markers are not under this node's STORAGE_PATH: the storage is not shared"));
      });
    });
  }

  private static long parse(Response r) {
    try {
      return Long.parseLong(r.toString());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @Override
  public Future<?> stop() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(timer);
    Future<?> deleted = vertx.fileSystem().delete(markers.resolve(nodeId).toString())
      .recover(e -> Future.succeededFuture());
    if (redis == null) {
      return deleted;
    }
    return deleted.compose(v -> redis.hdel(List.of(key, nodeId)).timeout(DEADLINE_MS, TimeUnit.MILLISECONDS))
      .eventually(() -> client.close());
  }

  @Override
  public void status(JsonObject status) {
    status.put("storageMarker", markers == null ? null : markers.resolve(nodeId).toString());
  }
}
