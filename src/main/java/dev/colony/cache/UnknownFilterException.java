package dev.colony.cache;

/** A Bloom filter operation on a name that was never reserved. */
public final class UnknownFilterException extends RuntimeException {

  public UnknownFilterException(String name) {
    super("Bloom filter \"" + name + "\" does not exist: reserve it first");
  }
}
