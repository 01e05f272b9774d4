package dev.colony.config;

import java.util.List;

/**
 * Every problem found in the configuration, reported together. Each problem names the variable, the value
 * seen (passwords masked) and what is allowed. {@link #getMessage()} is meant for an operator: no stack trace.
 */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    this(problems, null);
  }

  /** @param footer a line printed after the problems, or null */
  public ConfigException(List<String> problems, String footer) {
    super(format(problems) + (footer == null ? "" : System.lineSeparator() + footer), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    StringBuilder sb = new StringBuilder("Colony cannot start: ")
      .append(problems.size()).append(problems.size() == 1 ? " configuration problem" : " configuration problems");
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  - ").append(p);
    }
    return sb.toString();
  }
}
