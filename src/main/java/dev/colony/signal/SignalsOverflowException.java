package dev.colony.signal;

/**
 * The outgoing buffer, which holds signals while Redis is unreachable, is full: this signal was not sent. A
 * {@link Signals#RESYNC} is raised on this node and announced to the others once Redis is back.
 */
public final class SignalsOverflowException extends RuntimeException {

  SignalsOverflowException(int capacity) {
    super("signal buffer full (" + capacity + " signals waiting for Redis); resync raised", null, false, false);
  }
}
