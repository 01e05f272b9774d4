package dev.colony.queue;

/**
 * How a subscription consumes. NocoBase's defaults are kept where they are safe (concurrency 1, timeout 15 s, first
 * retry after 500 ms); retries default to 3 instead of 0, since a dead letter is kept rather than dropped either way.
 *
 * @param concurrency    handlers of this subscription running at once; also the RabbitMQ prefetch
 * @param timeoutMs      a handler not done after this long counts as failed (enforced) and is retried
 * @param maxRetries     retries after the first attempt before the message is dead-lettered
 * @param backoffMs      delay before the first retry; doubled per retry
 * @param maxBackoffMs   cap on the retry delay
 */
public record ConsumeOptions(int concurrency, long timeoutMs, int maxRetries, long backoffMs, long maxBackoffMs) {

  public static final ConsumeOptions DEFAULT = new ConsumeOptions(1, 15_000, 3, 500, 60_000);

  public ConsumeOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be a positive integer, got " + concurrency);
    }
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeout must be > 0 ms, got " + timeoutMs);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    if (backoffMs < 0 || maxBackoffMs < backoffMs) {
      throw new IllegalArgumentException("backoff must be >= 0 ms and <= maxBackoff, got " + backoffMs + " and "
        + maxBackoffMs);
    }
  }

  /** The delay before retry number {@code retry} (1-based): backoff * 2^(retry-1), capped. */
  public long retryDelayMs(int retry) {
    long d = backoffMs << Math.min(Math.max(retry - 1, 0), 30);
    return d < 0 ? maxBackoffMs : Math.min(d, maxBackoffMs);
  }

  public ConsumeOptions withConcurrency(int n) {
    return new ConsumeOptions(n, timeoutMs, maxRetries, backoffMs, maxBackoffMs);
  }

  public ConsumeOptions withTimeout(long ms) {
    return new ConsumeOptions(concurrency, ms, maxRetries, backoffMs, maxBackoffMs);
  }

  public ConsumeOptions withRetries(int retries, long backoff) {
    return new ConsumeOptions(concurrency, timeoutMs, retries, backoff, Math.max(backoff, maxBackoffMs));
  }
}
