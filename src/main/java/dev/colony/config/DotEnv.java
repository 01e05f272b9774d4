package dev.colony.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optional {@code .env} file: {@code NAME=value} lines, {@code #} comments, an optional {@code export }
 * prefix, values optionally in single or double quotes. The real environment wins over the file.
 */
public final class DotEnv {

  private DotEnv() {
  }

  /** The environment merged over {@code file}, which may be absent. */
  public static Map<String, String> merge(Path file, Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>(Files.isRegularFile(file) ? read(file) : Map.of());
    merged.putAll(environment);
    return merged;
  }

  static Map<String, String> read(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Map<String, String> parse(List<String> lines) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : lines) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      if (s.startsWith("export ")) {
        s = s.substring(7).strip();
      }
      int eq = s.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      vars.put(s.substring(0, eq).strip(), value(s.substring(eq + 1).strip()));
    }
    return vars;
  }

  private static String value(String v) {
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    int comment = v.indexOf(" #");
    return comment >= 0 ? v.substring(0, comment).strip() : v;
  }
}
