package dev.colony.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code deploy/nginx/colony.conf} into a config for other nodes and another port, by the rule
 * {@code scripts/cluster.sh} applies too: the upstream's {@code server host:port params;} lines become one line per
 * given node (with the first line's params), and {@code listen 80;} becomes {@code listen <listen>;}. Everything
 * else is the shipped file, so the end-to-end tests test it.
 */
public final class NginxConfig {

  public static final Path SHIPPED = Path.of("deploy/nginx/colony.conf");
  private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*)server\\s+[^\\s;]+:\\d+([^;\\n]*);\\n");
  private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen\\s+80;");

  private NginxConfig() {
  }

  public static String shipped() throws IOException {
    return Files.readString(SHIPPED);
  }

  /** The shipped file for {@code servers} ({@code host:port}) listening on {@code listen}. */
  public static String forPool(String template, List<String> servers, String listen) {
    Matcher m = SERVER.matcher(template);
    if (!m.find()) {
      throw new IllegalArgumentException("no 'server host:port ...;' line in the upstream block");
    }
    StringBuilder pool = new StringBuilder();
    for (String s : servers) {
      pool.append(m.group(1)).append("server ").append(s).append(m.group(2)).append(";\n");
    }
    String out = template.substring(0, m.start()) + pool
      + SERVER.matcher(template.substring(m.end())).replaceAll("");
    Matcher l = LISTEN.matcher(out);
    if (!l.find()) {
      throw new IllegalArgumentException("no 'listen 80;' line");
    }
    return l.replaceFirst(Matcher.quoteReplacement(l.group(1) + "listen " + listen + ";"));
  }
}
