package dev.colony.config;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * NocoBase's {@code WORKER_MODE}: which job topics this node consumes and whether it serves the application
 * API. Empty = API and every topic; {@code !} = API only; {@code *} = every topic, no API; {@code a,b} = only
 * these topics; {@code !,a} = API and topic a. Health endpoints are always served.
 *
 * @param serveApi  whether the application API is served
 * @param allTopics whether every job topic is consumed
 * @param topics    the topics consumed when {@code allTopics} is false
 */
public record WorkerMode(boolean serveApi, boolean allTopics, Set<String> topics) {

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public WorkerMode {
    topics = Set.copyOf(topics);
  }

  /** Whether this node consumes {@code topic}. */
  public boolean consumes(String topic) {
    return allTopics || topics.contains(topic);
  }

  static WorkerMode parse(String raw) {
    String value = raw.trim();
    if (value.isEmpty()) {
      return new WorkerMode(true, true, Set.of());
    }
    if (value.equals("*")) {
      return new WorkerMode(false, true, Set.of());
    }
    boolean api = false;
    Set<String> topics = new LinkedHashSet<>();
    for (String part : value.split(",", -1)) {
      String t = part.trim();
      if (t.equals("!")) {
        api = true;
      } else if (TOPIC.matcher(t).matches()) {
        topics.add(t);
      } else {
        throw new IllegalArgumentException("expected empty, '!', '*', or a comma-separated list of topic names"
          + " (letters, digits, '.', '_', '-') optionally including '!'");
      }
    }
    return new WorkerMode(api, false, topics);
  }
}
