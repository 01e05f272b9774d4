package dev.colony.queue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a queue stream, decoded (fields as in {@link QueueScripts}). An entry whose payload is missing or not
 * a JSON object, or whose numbers do not parse, is kept with {@link #error()} set, so the consumer can dead-letter
 * it instead of failing on it. Plain Java, no I/O.
 *
 * @param streamId    the stream entry id
 * @param id          the message id (the stream entry id if the entry has none)
 * @param rawPayload  the {@code p} field as found, for a dead letter of an unreadable entry
 * @param payload     the payload, null when {@link #error()} is set
 * @param publishedAt epoch ms, 0 if absent
 * @param before      deliveries made before this entry was added
 * @param maxRetries  the publisher's maxRetries, or null
 * @param error       why the entry cannot be delivered, or null
 */
record StreamEntry(String streamId, String id, String rawPayload, JsonObject payload, long publishedAt, int before,
                   Integer maxRetries, String error) {

  static StreamEntry parse(String streamId, Map<String, String> fields) {
    String id = fields.getOrDefault("id", streamId);
    String raw = fields.get("p");
    try {
      long t = Long.parseLong(fields.getOrDefault("t", "0"));
      int a = Integer.parseInt(fields.getOrDefault("a", "0"));
      Integer r = fields.containsKey("r") ? Integer.valueOf(fields.get("r")) : null;
      if (raw == null) {
        return new StreamEntry(streamId, id, null, null, t, a, r,
          "stream entry " + streamId + " has no payload field \"p\" (fields: " + fields.keySet() + ")");
      }
      JsonObject payload;
      try {
        payload = new JsonObject(raw);
      } catch (DecodeException | ClassCastException e) {
        return new StreamEntry(streamId, id, raw, null, t, a, r,
          "stream entry " + streamId + " payload is not a JSON object: " + abbreviate(raw));
      }
      return new StreamEntry(streamId, id, raw, payload, t, a, r, null);
    } catch (NumberFormatException e) {
      return new StreamEntry(streamId, id, raw, null, 0, 0, null,
        "stream entry " + streamId + " has a malformed number field: " + e.getMessage());
    }
  }

  /** The fields of a new stream entry. */
  static List<String> fields(String id, String payload, long publishedAt, int before, Integer maxRetries) {
    List<String> f = new ArrayList<>(List.of("id", id, "p", payload, "t", Long.toString(publishedAt),
      "a", Integer.toString(before)));
    if (maxRetries != null) {
      f.add("r");
      f.add(maxRetries.toString());
    }
    return f;
  }

  /** A delayed-set member: the fields as a JSON array of strings. */
  static String member(List<String> fields) {
    return new JsonArray(new ArrayList<>(fields)).encode();
  }

  /** This entry again, for a retry, after {@code deliveries} deliveries in all. */
  List<String> retryFields(int deliveries) {
    return fields(id, rawPayload, publishedAt, deliveries, maxRetries);
  }

  /** The payload for a dead letter: the JSON object, or the unreadable text wrapped as {@code {"unreadable": ...}}. */
  JsonObject deadPayload() {
    return payload != null ? payload : new JsonObject().put("unreadable", rawPayload);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "...\" (" + s.length() + " chars)";
  }
}
