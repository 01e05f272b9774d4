package dev.colony.cache;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.regex.Pattern;

/** Argument checks and the JSON form of values, shared by the stores. */
final class Keys {

  /** Cache and filter names: no {@code :} (a name must not be a prefix of another's keys) and no glob characters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  private Keys() {
  }

  static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name must be 1-100 letters, digits, '_', '.' or '-', got "
        + (name == null ? "null" : "\"" + name + "\""));
    }
    return name;
  }

  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("cache key must not be null or empty");
    }
    return key;
  }

  static Duration checkTtl(Duration ttl) {
    if (ttl != null && ttl.toMillis() < 1) {
      throw new IllegalArgumentException("cache TTL must be at least 1 ms, got " + ttl);
    }
    return ttl;
  }

  /** The JSON text of a value. */
  static String encode(Object value) {
    checkValue(value);
    try {
      return Json.encode(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cache value is not a JSON value: " + e.getMessage(), e);
    }
  }

  /** A private copy of a value: JSON containers are deep-copied, scalars are immutable. */
  static Object copy(Object value) {
    if (value instanceof JsonObject o) {
      return o.copy();
    }
    if (value instanceof JsonArray a) {
      return a.copy();
    }
    return value;
  }

  static Object checkValue(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("cache value must not be null (use del)");
    }
    if (!(value instanceof JsonObject || value instanceof JsonArray || value instanceof String
      || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException("cache value must be a JsonObject, JsonArray, String, Number or Boolean, got "
        + value.getClass().getName());
    }
    return value;
  }
}
