package dev.colony.lock;

/** The lease is no longer held: it was released, or it expired or was taken while its holder thought it held. */
public final class LockLostException extends RuntimeException {

  public LockLostException(String lockName) {
    super("lease of lock '" + lockName + "' is no longer held", null, false, false);
  }
}
