package dev.colony.testing;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers for futures, on the JUnit thread. */
public final class Futures {

  private Futures() {
  }

  /**
   * The cause of {@code f}'s failure, waiting up to 30 s.
   *
   * @throws AssertionError   if it succeeds
   * @throws TimeoutException if it does not complete in time
   */
  public static Throwable failure(Future<?> f) throws TimeoutException {
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw e;
    } catch (Throwable e) {
      return f.cause();
    }
    throw new AssertionError("expected a failure, got " + f.result());
  }
}
