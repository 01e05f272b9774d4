package dev.colony.queue;

import java.util.OptionalInt;

/**
 * @param delayMs    how long the message waits before its first delivery; 0 = at once
 * @param maxRetries retries for this message, overriding the consumer's {@link ConsumeOptions#maxRetries()}
 */
public record PublishOptions(long delayMs, OptionalInt maxRetries) {

  public static final PublishOptions DEFAULT = new PublishOptions(0, OptionalInt.empty());

  public PublishOptions {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delay must be >= 0 ms, got " + delayMs);
    }
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries.getAsInt());
    }
  }

  public static PublishOptions delay(long delayMs) {
    return new PublishOptions(delayMs, OptionalInt.empty());
  }

  public PublishOptions withMaxRetries(int retries) {
    return new PublishOptions(delayMs, OptionalInt.of(retries));
  }
}
