package dev.colony.queue;

import java.util.regex.Pattern;

/** Channel names: the same rule for every adapter, so a name valid on one is valid on all. */
public final class Channels {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private Channels() {
  }

  /**
   * Returns {@code channel} if valid.
   *
   * @throws IllegalArgumentException naming the channel and the rule
   */
  public static String check(String channel) {
    if (channel == null || !NAME.matcher(channel).matches()) {
      throw new IllegalArgumentException("invalid queue channel name " + (channel == null ? "null" : "\"" + channel
        + "\"") + ": expected 1-100 characters, letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return channel;
  }
}
