package dev.colony.lock;

import java.time.Duration;

/** The lock stayed held by others for the whole wait of {@link Locks#acquire}. */
public final class LockTimeoutException extends RuntimeException {

  private final String lockName;

  public LockTimeoutException(String lockName, Duration waited) {
    super("lock '" + lockName + "' still held by another after waiting " + waited.toMillis() + " ms", null,
      false, false);
    this.lockName = lockName;
  }

  public String lockName() {
    return lockName;
  }
}
