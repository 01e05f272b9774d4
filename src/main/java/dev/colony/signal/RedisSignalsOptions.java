package dev.colony.signal;

import java.util.Objects;

/**
 * Settings of the Redis bridge. {@link #of} gives the defaults; the {@code with...} methods change one each.
 *
 * @param redisUrl         Redis for signals ({@code PUBSUB_ADAPTER_REDIS_URL})
 * @param appName          {@code APP_NAME}: the stream is {@code <appName>:signals}
 * @param streamMaxLen     {@code SIGNAL_STREAM_MAXLEN}: approximate length the stream is trimmed to at each XADD
 * @param bufferCapacity   signals held while Redis is unreachable (or slow) before publishes overflow
 * @param maxInflight      XADDs pipelined on the writer connection before their replies
 * @param readBatch        entries per XREAD
 * @param blockMs          XREAD BLOCK time; an idle reader notices a dead connection within this plus
 *                         {@code commandTimeoutMs}
 * @param commandTimeoutMs deadline of every other Redis call (connect, XADD, XINFO)
 * @param readinessGraceMs how long the bridge may be reconnecting before readiness fails
 * @param reconnectMinMs   first reconnect delay, doubled up to {@code reconnectMaxMs}
 * @param reconnectMaxMs   longest reconnect delay
 * @param startTimeoutMs   how long start waits for the first connection before failing
 * @param flushOnCloseMs   how long close waits for buffered signals to be sent
 */
public record RedisSignalsOptions(String redisUrl, String appName, long streamMaxLen, int bufferCapacity,
                                  int maxInflight, int readBatch, long blockMs, long commandTimeoutMs,
                                  long readinessGraceMs, long reconnectMinMs, long reconnectMaxMs,
                                  long startTimeoutMs, long flushOnCloseMs) {

  public RedisSignalsOptions {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(appName, "appName");
    if (streamMaxLen < 1 || bufferCapacity < 1 || maxInflight < 1 || readBatch < 1 || blockMs < 1
      || commandTimeoutMs < 1 || readinessGraceMs < 0 || reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs
      || startTimeoutMs < 1 || flushOnCloseMs < 0) {
      throw new IllegalArgumentException("invalid signal bridge options: " + withoutUrl());
    }
  }

  /** The defaults: buffer 10,000, 1,000 in flight, batches of 500, BLOCK 2 s, 3 s deadlines, 10 s grace. */
  public static RedisSignalsOptions of(String redisUrl, String appName, long streamMaxLen) {
    return new RedisSignalsOptions(redisUrl, appName, streamMaxLen, 10_000, 1_000, 500, 2_000, 3_000, 10_000,
      100, 5_000, 10_000, 2_000);
  }

  /** The stream key, {@code <appName>:signals}. */
  public String streamKey() {
    return appName + ":signals";
  }

  public RedisSignalsOptions withBufferCapacity(int capacity) {
    return new RedisSignalsOptions(redisUrl, appName, streamMaxLen, capacity, maxInflight, readBatch, blockMs,
      commandTimeoutMs, readinessGraceMs, reconnectMinMs, reconnectMaxMs, startTimeoutMs, flushOnCloseMs);
  }

  public RedisSignalsOptions withReadinessGraceMs(long graceMs) {
    return new RedisSignalsOptions(redisUrl, appName, streamMaxLen, bufferCapacity, maxInflight, readBatch, blockMs,
      commandTimeoutMs, graceMs, reconnectMinMs, reconnectMaxMs, startTimeoutMs, flushOnCloseMs);
  }

  public RedisSignalsOptions withReconnect(long minMs, long maxMs) {
    return new RedisSignalsOptions(redisUrl, appName, streamMaxLen, bufferCapacity, maxInflight, readBatch, blockMs,
      commandTimeoutMs, readinessGraceMs, minMs, maxMs, startTimeoutMs, flushOnCloseMs);
  }

  public RedisSignalsOptions withBlockMs(long ms) {
    return new RedisSignalsOptions(redisUrl, appName, streamMaxLen, bufferCapacity, maxInflight, readBatch, ms,
      commandTimeoutMs, readinessGraceMs, reconnectMinMs, reconnectMaxMs, startTimeoutMs, flushOnCloseMs);
  }

  private String withoutUrl() {
    return "appName=" + appName + " streamMaxLen=" + streamMaxLen + " bufferCapacity=" + bufferCapacity
      + " maxInflight=" + maxInflight + " readBatch=" + readBatch + " blockMs=" + blockMs + " commandTimeoutMs="
      + commandTimeoutMs + " readinessGraceMs=" + readinessGraceMs + " reconnect=" + reconnectMinMs + ".."
      + reconnectMaxMs + " startTimeoutMs=" + startTimeoutMs + " flushOnCloseMs=" + flushOnCloseMs;
  }

  @Override
  public String toString() {
    return "RedisSignalsOptions[" + dev.colony.config.ServiceUrl.redact(redisUrl) + " " + withoutUrl() + "]";
  }
}
