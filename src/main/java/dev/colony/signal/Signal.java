package dev.colony.signal;

import io.vertx.core.json.JsonObject;

/**
 * A received signal.
 *
 * @param topic       its topic
 * @param message     the published message (a copy owned by this subscriber)
 * @param publisherId the node that published it
 * @param time        publish time, epoch milliseconds on the publisher's clock
 */
public record Signal(String topic, JsonObject message, String publisherId, long time) {
}
