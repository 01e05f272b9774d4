package dev.colony.cache;

/** A reserve of a Bloom filter that exists with other parameters. */
public final class FilterConflictException extends RuntimeException {

  public FilterConflictException(String name, String existing, String asked) {
    super("Bloom filter \"" + name + "\" exists with " + existing + "; reserve asked for " + asked);
  }
}
