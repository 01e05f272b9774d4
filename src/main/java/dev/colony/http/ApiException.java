package dev.colony.http;

/**
 * A failure with an HTTP meaning: the failure handler answers it with {@code status} and the envelope
 * {@code {errors:[{message, code}]}}. The message is shown to the client, so it must not carry internals.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  public ApiException(int status, String code, String message) {
    this(status, code, message, 0);
  }

  /** @param retryAfterSeconds sent as {@code Retry-After} when positive */
  public ApiException(int status, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: the request itself is wrong; {@code message} says which parameter and what is allowed. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "BAD_REQUEST", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
