package dev.colony.ids;

/**
 * The generator has used every sequence number up to its borrowing bound ahead of the clock. Nothing waits:
 * the caller retries after {@link #retryAfterMillis()} (HTTP answers 503 with {@code Retry-After}).
 */
public final class IdExhaustedException extends RuntimeException {

  private final long retryAfterMillis;

  IdExhaustedException(IdLayout layout, long retryAfterMillis) {
    super("the " + layout.configName() + " generator is as far ahead of the clock as it may borrow; retry in "
      + retryAfterMillis + " ms", null, false, false);
    this.retryAfterMillis = retryAfterMillis;
  }

  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
