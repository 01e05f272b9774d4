package dev.colony.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole configuration of a node, parsed once at start by {@link ConfigLoader}. Records hold secrets as
 * {@link Secret} and URLs as {@link ServiceUrl}, so printing any of them never shows a password.
 *
 * @param appName    {@code APP_NAME}: namespace of every Redis key, stream, queue and exchange
 * @param appKey     {@code APP_KEY}: JWT secret; unset on a single node, required in cluster mode
 * @param clustered  whether any shared adapter is configured (DESIGN.md section 1)
 * @param loggerLevel {@code LOGGER_LEVEL}: root log level
 */
public record ColonyConfig(
  String appName,
  Secret appKey,
  Http http,
  WorkerMode workerMode,
  Path storagePath,
  Db db,
  Cache cache,
  Signals signals,
  Locks locks,
  Queue queue,
  Ids ids,
  Shutdown shutdown,
  String loggerLevel,
  boolean clustered) {

  /**
   * @param host      {@code APP_HOST}
   * @param port      {@code APP_PORT}; 0 picks a free port
   * @param instances HTTP verticle instances from {@code CLUSTER_MODE}: empty = 1, a number, {@code max} = one
   *                  per available processor
   * @param bodyLimit {@code HTTP_BODY_LIMIT}: largest request body in bytes; larger gets 413
   * @param accessLog {@code ACCESS_LOG}: one log line per request
   */
  public record Http(String host, int port, int instances, long bodyLimit, boolean accessLog) {
  }

  /**
   * @param dialect {@code DB_DIALECT}: sqlite or postgres
   * @param sqliteFile {@code DB_STORAGE}: the SQLite file, by default under the storage path
   */
  public record Db(String dialect, Path sqliteFile, String host, int port, String database, String user,
                   Secret password) {
  }

  /**
   * @param store     {@code CACHE_DEFAULT_STORE}: memory or redis
   * @param memoryMax {@code CACHE_MEMORY_MAX}: entries per in-memory cache
   * @param redisUrl  {@code CACHE_REDIS_URL}, else {@code REDIS_URL}; absent when neither is set
   */
  public record Cache(String store, int memoryMax, Optional<ServiceUrl> redisUrl) {
  }

  /**
   * @param redisUrl     {@code PUBSUB_ADAPTER_REDIS_URL}; defaults to localhost in cluster mode; absent means
   *                     signals stay on the local event bus
   * @param streamMaxLen {@code SIGNAL_STREAM_MAXLEN}: approximate length the signal stream is trimmed to
   */
  public record Signals(Optional<ServiceUrl> redisUrl, long streamMaxLen) {
  }

  /** {@code LOCK_ADAPTER_DEFAULT} (local or redis) and {@code LOCK_ADAPTER_REDIS_URL}. */
  public record Locks(String adapter, ServiceUrl redisUrl) {
  }

  /** {@code QUEUE_ADAPTER} (memory, redis or rabbitmq) and the URLs of the last two. */
  public record Queue(String adapter, ServiceUrl redisUrl, ServiceUrl rabbitmqUrl) {
  }

  /**
   * @param layout      {@code ID_LAYOUT}: nocobase or snowflake
   * @param redisUrl    {@code REDIS_URL}: the worker-id lease; absent = random worker id, single node only
   * @param workerId    {@code WORKER_ID}: a pinned worker id, range-checked for the layout
   * @param maxBorrowMs {@code ID_MAX_BORROW_MS}: how far ids may run ahead of the clock
   * @param leaseTtlMs  {@code ID_LEASE_TTL_MS}: worker-id lease TTL
   */
  public record Ids(String layout, Optional<ServiceUrl> redisUrl, OptionalInt workerId, long maxBorrowMs,
                    long leaseTtlMs) {
  }

  /**
   * @param drainMs   {@code SHUTDOWN_DRAIN_MS}: how long health answers 503 before the servers close
   * @param timeoutMs {@code SHUTDOWN_TIMEOUT_MS}: bound on in-flight requests and on stopping the parts
   */
  public record Shutdown(long drainMs, long timeoutMs) {
  }
}
