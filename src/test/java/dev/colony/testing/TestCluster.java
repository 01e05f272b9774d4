package dev.colony.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N Colony node processes in full cluster mode against the test services (Redis, RabbitMQ, PostgreSQL), sharing
 * one storage directory, behind a real nginx ({@link NginxProcess}). Nodes keep their port across restarts, so
 * nginx's upstream block stays right. Close kills the nodes and stops nginx.
 */
public final class TestCluster implements AutoCloseable {

  private final Path dir;
  private final Map<String, String> env;
  private final List<Integer> ports = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private NginxProcess nginx;

  private TestCluster(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** Starts {@code n} nodes of {@code app} with {@code extra} settings, waits until all are ready, then nginx. */
  public static TestCluster start(Path dir, String app, int n, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(clusterEnv(app, dir.resolve("storage")));
    env.putAll(extra);
    TestCluster c = new TestCluster(dir, env);
    try {
      for (int i = 0; i < n; i++) {
        c.ports.add(PrivateRedis.freePort());
        c.nodes.add(NodeProcess.start(dir, c.ports.get(i), env));
      }
      for (NodeProcess node : c.nodes) {
        node.awaitReady();
      }
      c.nginx = NginxProcess.start(dir, c.ports);
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  /**
   * Every cluster-mode setting (DESIGN.md section 1), against the test services: shared cache, locks, queue,
   * signals, leased worker ids, PostgreSQL, an APP_KEY, one storage directory.
   */
  public static Map<String, String> clusterEnv(String app, Path storage) {
    String redis = TestRedis.url();
    URI pg = URI.create(TestPostgres.url().replaceFirst("^postgresql:", "http:"));
    String[] userInfo = pg.getUserInfo().split(":", 2);
    Map<String, String> env = new HashMap<>(Map.ofEntries(
      Map.entry("APP_NAME", app), Map.entry("APP_KEY", "test-cluster-key-" + app),
      Map.entry("STORAGE_PATH", storage.toString()),
      Map.entry("DB_DIALECT", "postgres"), Map.entry("DB_HOST", pg.getHost()),
      Map.entry("DB_PORT", Integer.toString(pg.getPort())), Map.entry("DB_DATABASE", pg.getPath().substring(1)),
      Map.entry("DB_USER", userInfo[0]), Map.entry("DB_PASSWORD", userInfo.length > 1 ? userInfo[1] : ""),
      Map.entry("CACHE_DEFAULT_STORE", "redis"), Map.entry("CACHE_REDIS_URL", redis),
      Map.entry("PUBSUB_ADAPTER_REDIS_URL", redis),
      Map.entry("LOCK_ADAPTER_DEFAULT", "redis"), Map.entry("LOCK_ADAPTER_REDIS_URL", redis),
      Map.entry("QUEUE_ADAPTER", "redis"), Map.entry("QUEUE_ADAPTER_REDIS_URL", redis),
      Map.entry("QUEUE_ADAPTER_RABBITMQ_URL", TestRabbit.url()),
      Map.entry("REDIS_URL", redis)));
    return env;
  }

  public int port(int i) {
    return ports.get(i);
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public NginxProcess nginx() {
    return nginx;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public Path dir() {
    return dir;
  }

  /** Starts node {@code i} again on its port (after it exited), with {@code extra} settings; does not wait. */
  public NodeProcess restart(int i, Map<String, String> extra) throws Exception {
    Map<String, String> e = new HashMap<>(env);
    e.putAll(extra);
    NodeProcess node = NodeProcess.start(dir, ports.get(i), e);
    nodes.set(i, node);
    return node;
  }

  /** Every node's log, for failure messages. */
  public String logs() throws Exception {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
        b.append("==== ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (nginx != null) {
      nginx.close();
    }
  }
}
