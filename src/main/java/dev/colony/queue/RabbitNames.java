package dev.colony.queue;

import java.util.Arrays;

/**
 * Names, delay levels and header keys of {@link RabbitQueue}: plain Java, no broker. For channel {@code c} of app
 * {@code a}: the work queue {@code a.c} (quorum where the broker supports it), the dead-letter exchange
 * {@code a.c.dlx} (fanout) bound to the dead-letter queue {@code a.c.dead}, and one TTL queue
 * {@code a.c.retry.<ms>} per delay level in use, whose expired messages go back to {@code a.c}.
 */
final class RabbitNames {

  /**
   * The fixed delay levels (ms) of the TTL queues. A delay is served by the largest level not above what is left of
   * it (the smallest level if less is left), and a message that comes back before its due time is delayed again, so
   * any delay takes a few hops through at most {@code LEVELS.length} queues per channel.
   */
  static final long[] LEVELS = {25, 100, 250, 1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000};

  static final String H_ID = "x-colony-id";
  static final String H_ATTEMPT = "x-colony-attempt";
  static final String H_PUBLISHED_AT = "x-colony-published-at";
  static final String H_MAX_RETRIES = "x-colony-max-retries";
  static final String H_DUE = "x-colony-due";
  static final String H_ERROR = "x-colony-error";
  static final String H_FAILED_AT = "x-colony-failed-at";
  /** The publishing channel's sequence number, to match a basic.return to its pending publish. */
  static final String H_SEQ = "x-colony-seq";

  private final String app;

  RabbitNames(String app) {
    this.app = app;
  }

  String work(String channel) {
    return app + "." + channel;
  }

  String deadExchange(String channel) {
    return app + "." + channel + ".dlx";
  }

  String dead(String channel) {
    return app + "." + channel + ".dead";
  }

  String retry(String channel, long level) {
    return app + "." + channel + ".retry." + level;
  }

  /** Every queue name a channel may use, for deleting it. */
  String[] queues(String channel) {
    String[] names = new String[LEVELS.length + 2];
    names[0] = work(channel);
    names[1] = dead(channel);
    for (int i = 0; i < LEVELS.length; i++) {
      names[i + 2] = retry(channel, LEVELS[i]);
    }
    return names;
  }

  /** The TTL level that serves {@code remainingMs} (> 0): the largest level not above it, else the smallest. */
  static long level(long remainingMs) {
    if (remainingMs <= 0) {
      throw new IllegalArgumentException("remaining delay must be > 0 ms, got " + remainingMs);
    }
    int i = Arrays.binarySearch(LEVELS, remainingMs);
    if (i >= 0) {
      return LEVELS[i];
    }
    int below = -i - 2;
    return below < 0 ? LEVELS[0] : LEVELS[below];
  }
}
