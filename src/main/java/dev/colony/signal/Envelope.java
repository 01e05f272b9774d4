package dev.colony.signal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What travels on the event bus and in the stream: NocoBase's {@code {publisherId, skipSelf, onlySelf, message}}
 * plus {@code topic} and {@code time}, and {@code seq}, the publisher's sequence number of signals it sent to
 * the stream (0 for signals that never left the node), which lets receivers drop a duplicate left by a retried
 * XADD and notice a hole.
 */
record Envelope(String publisherId, boolean skipSelf, boolean onlySelf, JsonObject message, String topic, long time,
                long seq) {

  Envelope withSeq(long s) {
    return new Envelope(publisherId, skipSelf, onlySelf, message, topic, time, s);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("publisherId", publisherId)
      .put("skipSelf", skipSelf)
      .put("onlySelf", onlySelf)
      .put("message", message)
      .put("topic", topic)
      .put("time", time);
    return seq == 0 ? json : json.put("seq", seq);
  }

  Signal toSignal() {
    return new Signal(topic, message, publisherId, time);
  }

  /** Parses the stream's text form; throws {@link IllegalArgumentException} saying what is wrong. */
  static Envelope parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no envelope field");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return of(json);
  }

  /** Reads an envelope; publisherId, topic and message are required, the rest default to false/0. */
  static Envelope of(JsonObject json) {
    try {
      String publisherId = json.getString("publisherId");
      String topic = json.getString("topic");
      JsonObject message = json.getJsonObject("message");
      if (publisherId == null || publisherId.isEmpty() || topic == null || topic.isBlank() || message == null) {
        throw new IllegalArgumentException("missing publisherId, topic or message");
      }
      return new Envelope(publisherId, json.getBoolean("skipSelf", false), json.getBoolean("onlySelf", false),
        message, topic, json.getLong("time", 0L), json.getLong("seq", 0L));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field has the wrong type");
    }
  }
}
