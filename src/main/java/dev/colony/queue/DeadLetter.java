package dev.colony.queue;

import io.vertx.core.json.JsonObject;

/**
 * A message whose retries are spent.
 *
 * @param id       the message id
 * @param channel  its channel
 * @param payload  the published JSON object
 * @param attempts how many deliveries were made
 * @param error    the last failure (the handler's error message, or the timeout)
 * @param failedAt epoch millis when it was dead-lettered
 */
public record DeadLetter(String id, String channel, JsonObject payload, int attempts, String error, long failedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("channel", channel).put("payload", payload).put("attempts", attempts)
      .put("error", error).put("failedAt", failedAt);
  }
}
