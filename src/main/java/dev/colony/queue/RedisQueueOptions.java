package dev.colony.queue;

/**
 * How a {@link RedisStreamQueue} talks to Redis.
 *
 * @param url             the Redis connection string
 * @param app             {@code APP_NAME}: keys are {@code <app>:queue:<channel>...}; also the consumer group name
 * @param consumer        this node's consumer name in the group (the node id)
 * @param callTimeoutMs   deadline of every command (a blocking read gets its block time on top)
 * @param blockMs         how long one XREADGROUP waits for new entries
 * @param claimMarginMs   the visibility timeout is the handler timeout plus this: an entry pending longer belongs to
 *                        a consumer that died (or lost Redis) and is claimed
 * @param claimIntervalMs how often each subscription looks for entries to claim
 * @param delayedPollMs   how often each subscription moves due delayed messages and retries to the stream
 * @param trimIntervalMs  how often each subscription trims its stream of acknowledged entries
 */
public record RedisQueueOptions(String url, String app, String consumer, long callTimeoutMs, long blockMs,
                                long claimMarginMs, long claimIntervalMs, long delayedPollMs, long trimIntervalMs) {

  public RedisQueueOptions {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("Redis URL must not be empty");
    }
    if (app == null || app.isEmpty()) {
      throw new IllegalArgumentException("app name must not be empty");
    }
    if (consumer == null || consumer.isEmpty()) {
      throw new IllegalArgumentException("consumer name must not be empty");
    }
    if (callTimeoutMs < 1 || blockMs < 1 || claimMarginMs < 0 || claimIntervalMs < 1 || delayedPollMs < 1
      || trimIntervalMs < 1) {
      throw new IllegalArgumentException("timings must be positive: " + this);
    }
  }

  /** Defaults: 2 s deadline, 2 s block, claim after handler timeout + 5 s, every 1 s; delayed every 50 ms; trim 5 s. */
  public static RedisQueueOptions of(String url, String app, String consumer) {
    return new RedisQueueOptions(url, app, consumer, 2_000, 2_000, 5_000, 1_000, 50, 5_000);
  }

  public RedisQueueOptions withClaim(long marginMs, long intervalMs) {
    return new RedisQueueOptions(url, app, consumer, callTimeoutMs, blockMs, marginMs, intervalMs, delayedPollMs,
      trimIntervalMs);
  }

  public RedisQueueOptions withCallTimeout(long ms) {
    return new RedisQueueOptions(url, app, consumer, ms, blockMs, claimMarginMs, claimIntervalMs, delayedPollMs,
      trimIntervalMs);
  }

  public RedisQueueOptions withConsumer(String name) {
    return new RedisQueueOptions(url, app, name, callTimeoutMs, blockMs, claimMarginMs, claimIntervalMs,
      delayedPollMs, trimIntervalMs);
  }

  public RedisQueueOptions withTrimInterval(long ms) {
    return new RedisQueueOptions(url, app, consumer, callTimeoutMs, blockMs, claimMarginMs, claimIntervalMs,
      delayedPollMs, ms);
  }

  @Override
  public String toString() {
    // Never the URL: it may hold a password.
    return "RedisQueueOptions[app=" + app + ", consumer=" + consumer + ", callTimeoutMs=" + callTimeoutMs
      + ", blockMs=" + blockMs + ", claimMarginMs=" + claimMarginMs + ", claimIntervalMs=" + claimIntervalMs
      + ", delayedPollMs=" + delayedPollMs + ", trimIntervalMs=" + trimIntervalMs + "]";
  }
}
