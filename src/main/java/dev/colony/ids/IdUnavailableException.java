package dev.colony.ids;

/**
 * No id can be issued now because this node holds no valid worker-id lease (it is being renewed or leased
 * again). Retry after {@link #retryAfterMillis()}.
 */
public final class IdUnavailableException extends RuntimeException {

  private final long retryAfterMillis;

  IdUnavailableException(String message, long retryAfterMillis) {
    super(message, null, false, false);
    this.retryAfterMillis = retryAfterMillis;
  }

  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
