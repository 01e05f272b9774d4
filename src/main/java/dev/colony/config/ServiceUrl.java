package dev.colony.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * A service URL (Redis, RabbitMQ) from the configuration. {@link #toString()} masks the password, so a record
 * holding one can be logged; {@link #value()} is the real URL, for the client only.
 */
public record ServiceUrl(String value) {

  /** Parses {@code raw}; throws {@link IllegalArgumentException} naming the allowed schemes. */
  static ServiceUrl parse(String raw, Set<String> schemes) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected a URL like " + example(schemes));
    }
    if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected a URL like " + example(schemes));
    }
    return new ServiceUrl(raw);
  }

  private static String example(Set<String> schemes) {
    return schemes.contains("redis") ? "redis://[:password@]host:6379[/db]" : "amqp://user:password@host:5672[/vhost]";
  }

  /** The URL with any password replaced by {@code ***}. */
  public String redacted() {
    return redact(value);
  }

  @Override
  public String toString() {
    return redacted();
  }

  /** Masks the password of anything that looks like {@code scheme://user:password@host}. */
  public static String redact(String text) {
    return text == null ? null : text.replaceAll("(?<=://)([^:/@\\s]*):[^@/\\s]*@", "$1:***@");
  }
}
