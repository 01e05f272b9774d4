package dev.colony.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses DESIGN.md section 2's variables into a {@link ColonyConfig}, then applies the cluster-mode
 * completeness check: a node with any shared adapter must have every part shared.
 */
public final class ConfigLoader {

  /** Every variable Colony reads. */
  public static final List<String> VARIABLES = List.of(
    "APP_HOST", "APP_PORT", "APP_NAME", "APP_KEY", "CLUSTER_MODE", "WORKER_MODE", "STORAGE_PATH",
    "DB_DIALECT", "DB_STORAGE", "DB_HOST", "DB_PORT", "DB_DATABASE", "DB_USER", "DB_PASSWORD",
    "CACHE_DEFAULT_STORE", "CACHE_MEMORY_MAX", "CACHE_REDIS_URL", "PUBSUB_ADAPTER_REDIS_URL", "SIGNAL_STREAM_MAXLEN",
    "LOCK_ADAPTER_DEFAULT", "LOCK_ADAPTER_REDIS_URL", "QUEUE_ADAPTER", "QUEUE_ADAPTER_REDIS_URL",
    "QUEUE_ADAPTER_RABBITMQ_URL", "REDIS_URL", "WORKER_ID", "ID_LAYOUT", "ID_MAX_BORROW_MS", "ID_LEASE_TTL_MS",
    "HTTP_BODY_LIMIT", "ACCESS_LOG", "LOGGER_LEVEL", "SHUTDOWN_DRAIN_MS", "SHUTDOWN_TIMEOUT_MS",
    "CLUSTER_ALLOW_PARTIAL");

  static final String LOCALHOST_REDIS = "redis://localhost:6379/0";
  static final String LOCALHOST_AMQP = "amqp://guest:guest@localhost:5672";

  private ConfigLoader() {
  }

  /**
   * Parses {@code env}.
   *
   * @param availableProcessors what {@code CLUSTER_MODE=max} means
   * @throws ConfigException listing every problem found
   */
  public static ColonyConfig load(Map<String, String> env, int availableProcessors) {
    return load(new EnvReader(env), availableProcessors);
  }

  static ColonyConfig load(EnvReader r, int availableProcessors) {

    String appName = r.parse("APP_NAME", "main", s -> {
      if (s.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
        return s;
      }
      throw new IllegalArgumentException("expected 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
    });
    Secret appKey = new Secret(r.string("APP_KEY", null));

    int instances = r.parse("CLUSTER_MODE", 1, s -> {
      if (s.equalsIgnoreCase("max")) {
        return availableProcessors;
      }
      try {
        int n = Integer.parseInt(s);
        if (n >= 1 && n <= 1024) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("expected empty (1 instance), a number from 1 to 1024, or max (one per processor)");
    });
    var http = new ColonyConfig.Http(
      r.string("APP_HOST", "0.0.0.0"),
      r.intIn("APP_PORT", 13000, 0, 65535),
      instances,
      r.bytes("HTTP_BODY_LIMIT", 10L << 20, 1024, 1L << 30),
      r.bool("ACCESS_LOG", true));

    WorkerMode workerMode = r.parse("WORKER_MODE", WorkerMode.parse(""), WorkerMode::parse);
    Path storage = Path.of(r.string("STORAGE_PATH", "./storage"));

    var db = new ColonyConfig.Db(
      r.oneOf("DB_DIALECT", "sqlite", "sqlite", "postgres"),
      r.raw("DB_STORAGE").map(Path::of).orElse(storage.resolve("db").resolve("colony.sqlite")),
      r.string("DB_HOST", "localhost"),
      r.intIn("DB_PORT", 5432, 1, 65535),
      r.string("DB_DATABASE", "colony"),
      r.string("DB_USER", "postgres"),
      new Secret(r.string("DB_PASSWORD", "")));

    Optional<ServiceUrl> redisUrl = r.redisUrl("REDIS_URL");
    Optional<ServiceUrl> cacheRedis = r.redisUrl("CACHE_REDIS_URL");
    var cache = new ColonyConfig.Cache(
      r.oneOf("CACHE_DEFAULT_STORE", "memory", "memory", "redis"),
      r.intIn("CACHE_MEMORY_MAX", 2000, 1, 10_000_000),
      cacheRedis.isPresent() ? cacheRedis : redisUrl);
    if (cache.store().equals("redis") && cache.redisUrl().isEmpty()) {
      r.problem("CACHE_REDIS_URL", "", "CACHE_DEFAULT_STORE=redis needs CACHE_REDIS_URL or REDIS_URL");
    }

    var locks = new ColonyConfig.Locks(
      r.oneOf("LOCK_ADAPTER_DEFAULT", "local", "local", "redis"),
      r.redisUrl("LOCK_ADAPTER_REDIS_URL").orElse(new ServiceUrl(LOCALHOST_REDIS)));
    var queue = new ColonyConfig.Queue(
      r.oneOf("QUEUE_ADAPTER", "memory", "memory", "redis", "rabbitmq"),
      r.redisUrl("QUEUE_ADAPTER_REDIS_URL").orElse(new ServiceUrl(LOCALHOST_REDIS)),
      r.amqpUrl("QUEUE_ADAPTER_RABBITMQ_URL").orElse(new ServiceUrl(LOCALHOST_AMQP)));
    Optional<ServiceUrl> pubsub = r.redisUrl("PUBSUB_ADAPTER_REDIS_URL");

    String layout = r.oneOf("ID_LAYOUT", "nocobase", "nocobase", "snowflake");
    int maxWorker = layout.equals("nocobase") ? 31 : 1023;
    OptionalInt workerId = r.raw("WORKER_ID").isEmpty()
      ? OptionalInt.empty() : OptionalInt.of(r.intIn("WORKER_ID", 0, 0, maxWorker));
    var ids = new ColonyConfig.Ids(layout, redisUrl, workerId,
      r.longIn("ID_MAX_BORROW_MS", layout.equals("nocobase") ? 2000 : 1000, 0, 60_000),
      r.longIn("ID_LEASE_TTL_MS", 30_000, 1_000, 3_600_000));

    var shutdown = new ColonyConfig.Shutdown(
      r.longIn("SHUTDOWN_DRAIN_MS", 5000, 0, 600_000),
      r.longIn("SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000));
    String loggerLevel = r.oneOf("LOGGER_LEVEL", "info", "trace", "debug", "info", "warn", "error");

    List<String> enabledBy = new ArrayList<>();
    if (cache.store().equals("redis")) enabledBy.add("CACHE_DEFAULT_STORE=redis");
    if (locks.adapter().equals("redis")) enabledBy.add("LOCK_ADAPTER_DEFAULT=redis");
    if (!queue.adapter().equals("memory")) enabledBy.add("QUEUE_ADAPTER=" + queue.adapter());
    if (pubsub.isPresent()) enabledBy.add("PUBSUB_ADAPTER_REDIS_URL");
    if (redisUrl.isPresent()) enabledBy.add("REDIS_URL");
    boolean clustered = !enabledBy.isEmpty();
    var signals = new ColonyConfig.Signals(
      clustered ? Optional.of(pubsub.orElse(new ServiceUrl(LOCALHOST_REDIS))) : Optional.empty(),
      r.longIn("SIGNAL_STREAM_MAXLEN", 100_000, 1_000, 100_000_000));

    boolean allowPartial = r.bool("CLUSTER_ALLOW_PARTIAL", false);
    String footer = null;
    if (clustered && !allowPartial) {
      List<String> missing = missingSharedParts(cache, locks, queue, redisUrl, db, appKey);
      r.problems.addAll(missing);
      if (!missing.isEmpty()) {
        footer = "Cluster mode is on (" + String.join(", ", enabledBy) + "), so every node must share every part."
          + " CLUSTER_ALLOW_PARTIAL=true starts a half-clustered node anyway, for experiments only.";
      }
    }
    if (!r.problems.isEmpty()) {
      throw new ConfigException(r.problems, footer);
    }
    return new ColonyConfig(appName, appKey, http, workerMode, storage, db, cache, signals, locks, queue, ids,
      shutdown, loggerLevel, clustered);
  }

  /** What a clustered node lacks, one entry per variable; empty when the cluster is complete. */
  public static List<String> missingSharedParts(ColonyConfig config) {
    return missingSharedParts(config.cache(), config.locks(), config.queue(), config.ids().redisUrl(),
      config.db(), config.appKey());
  }

  private static List<String> missingSharedParts(ColonyConfig.Cache cache, ColonyConfig.Locks locks,
                                                 ColonyConfig.Queue queue, Optional<ServiceUrl> redisUrl,
                                                 ColonyConfig.Db db, Secret appKey) {
    List<String> missing = new ArrayList<>();
    if (!cache.store().equals("redis")) {
      missing.add("CACHE_DEFAULT_STORE=\"" + cache.store() + "\": must be redis, or each node caches its own stale copy");
    }
    if (!locks.adapter().equals("redis")) {
      missing.add("LOCK_ADAPTER_DEFAULT=\"" + locks.adapter() + "\": must be redis, or locks exclude only within one node");
    }
    if (queue.adapter().equals("memory")) {
      missing.add("QUEUE_ADAPTER=\"memory\": must be redis or rabbitmq, or jobs stay on the node that queued them");
    }
    if (redisUrl.isEmpty()) {
      missing.add("REDIS_URL=\"\": must be set, or worker ids are random and ids collide across nodes");
    }
    if (!db.dialect().equals("postgres")) {
      missing.add("DB_DIALECT=\"" + db.dialect() + "\": must be postgres, or each node has its own database");
    }
    if (!appKey.isSet()) {
      missing.add("APP_KEY=\"\": must be set, the same on every node, or tokens from one node fail on the others");
    }
    return missing;
  }
}
