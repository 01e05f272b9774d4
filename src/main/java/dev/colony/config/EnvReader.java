package dev.colony.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads typed variables from a map, collecting every problem instead of stopping at the first. */
final class EnvReader {

  private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss");
  private static final Set<String> AMQP_SCHEMES = Set.of("amqp", "amqps");

  private final Map<String, String> env;
  final List<String> problems = new ArrayList<>();
  /** Every variable name read, so tests can check the documented list is complete. */
  final Set<String> read = new java.util.TreeSet<>();

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  /** The raw value, or empty when unset or blank. */
  Optional<String> raw(String name) {
    read.add(name);
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  String string(String name, String dflt) {
    return raw(name).orElse(dflt);
  }

  /** Records a problem about {@code name}; the value is shown with any URL password masked. */
  void problem(String name, String value, String allowed) {
    problems.add(name + "=\"" + ServiceUrl.redact(value) + "\": " + allowed);
  }

  <T> T parse(String name, T dflt, Function<String, T> parser) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      return parser.apply(v.get());
    } catch (IllegalArgumentException e) {
      problem(name, v.get(), e.getMessage());
      return dflt;
    }
  }

  long longIn(String name, long dflt, long min, long max) {
    return parse(name, dflt, s -> {
      try {
        long n = Long.parseLong(s);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("expected an integer from " + min + " to " + max);
    });
  }

  int intIn(String name, int dflt, int min, int max) {
    return (int) longIn(name, dflt, min, max);
  }

  String oneOf(String name, String dflt, String... allowed) {
    return parse(name, dflt, s -> {
      String lower = s.toLowerCase(Locale.ROOT);
      if (Arrays.asList(allowed).contains(lower)) {
        return lower;
      }
      throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
    });
  }

  boolean bool(String name, boolean dflt) {
    return parse(name, dflt, s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    });
  }

  /** A byte size: a number with an optional k, m or g suffix (powers of 1024). */
  long bytes(String name, long dflt, long min, long max) {
    return parse(name, dflt, s -> {
      String lower = s.toLowerCase(Locale.ROOT);
      long unit = switch (lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1)) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        case 'g' -> 1L << 30;
        default -> 1;
      };
      String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
      try {
        long n = Math.multiplyExact(Long.parseLong(digits), unit);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException | ArithmeticException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("expected a size from " + min + " to " + max + " bytes, e.g. 512k or 10m");
    });
  }

  Optional<ServiceUrl> redisUrl(String name) {
    return Optional.ofNullable(parse(name, null, s -> ServiceUrl.parse(s, REDIS_SCHEMES)));
  }

  Optional<ServiceUrl> amqpUrl(String name) {
    return Optional.ofNullable(parse(name, null, s -> ServiceUrl.parse(s, AMQP_SCHEMES)));
  }
}
