package dev.colony.cache;

/** A stored value that is not valid JSON, so it cannot be returned; the entry is left as it is. */
public final class CacheValueException extends RuntimeException {

  public CacheValueException(String cache, String key, Throwable cause) {
    super("cache " + cache + ": the value stored under key \"" + key + "\" is not valid JSON ("
      + firstLine(cause.getMessage()) + ")", cause);
  }

  private static String firstLine(String s) {
    return s == null ? "unreadable" : s.lines().findFirst().orElse("").trim();
  }
}
