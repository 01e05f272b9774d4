package dev.colony.queue;

import io.vertx.core.json.JsonObject;

/**
 * One delivery of a message to a handler.
 *
 * @param id          the message id, the same on every delivery, so a handler can deduplicate
 * @param channel     the channel it was published to
 * @param payload     the published JSON object
 * @param attempt     1 on the first delivery, 2 on the first retry...
 * @param publishedAt epoch millis of the publish
 */
public record Message(String id, String channel, JsonObject payload, int attempt, long publishedAt) {
}
