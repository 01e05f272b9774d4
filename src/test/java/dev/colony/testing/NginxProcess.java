package dev.colony.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nginx in front of the given nodes, on a free loopback port: {@code deploy/nginx/colony.conf} rewritten
 * for them by {@link NginxConfig}, inside a main config that keeps everything (pid, temp paths, logs) under
 * {@code <dir>/nginx}, runs in the foreground and works without root. The binary is {@code $NGINX}, else
 * {@code /usr/sbin/nginx}, else {@code nginx} on the PATH; {@code scripts/services.sh} installs it. Close stops it.
 * The access log records the upstream(s) and status(es) of each request, so a failed or retried request can be
 * traced to the nodes that saw it.
 */
public final class NginxProcess implements AutoCloseable {

  private static final Pattern UPSTREAM = Pattern.compile(" upstream=(.*) upstream_status=(.*) time=");

  private final Process process;
  private final int port;
  private final Path dir;

  private NginxProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static NginxProcess start(Path parent, List<Integer> nodePorts) throws Exception {
    Path dir = Files.createDirectories(parent.resolve("nginx"));
    Files.createDirectories(dir.resolve("tmp"));
    int port = PrivateRedis.freePort();
    String pool = NginxConfig.forPool(NginxConfig.shipped(),
      nodePorts.stream().map(p -> "127.0.0.1:" + p).toList(), "127.0.0.1:" + port);
    Files.writeString(dir.resolve("colony.conf"), pool);
    Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir));
    Process p = new ProcessBuilder(binary(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
      "-e", dir.resolve("error.log").toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    NginxProcess nginx = new NginxProcess(p, port, dir);
    nginx.awaitListening();
    return nginx;
  }

  /** The main config around the pool (scripts/cluster.sh writes the same shape). */
  static String mainConfig(Path dir) {
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    return user + """
      daemon off;
      worker_processes 1;
      pid %1$s/nginx.pid;
      error_log %1$s/error.log warn;
      events { worker_connections 1024; }
      http {
        log_format upstreams '$time_iso8601 $request_id "$request" $status upstream=$upstream_addr'
                             ' upstream_status=$upstream_status time=$request_time';
        access_log %1$s/access.log upstreams;
        client_body_temp_path %1$s/tmp/body;
        proxy_temp_path %1$s/tmp/proxy;
        fastcgi_temp_path %1$s/tmp/fastcgi;
        uwsgi_temp_path %1$s/tmp/uwsgi;
        scgi_temp_path %1$s/tmp/scgi;
        include %1$s/colony.conf;
      }
      """.formatted(dir);
  }

  static String binary() {
    String env = System.getenv("NGINX");
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
      return "/usr/sbin/nginx";
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, "nginx"))) {
        return Path.of(d, "nginx").toString();
      }
    }
    throw new AssertionError("nginx not found: set NGINX, or install it (scripts/services.sh does, with apt-get)");
  }

  private void awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nginx did not listen on " + port + ": " + errors());
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String errors() throws IOException {
    Path log = dir.resolve("error.log");
    return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(dir.resolve("stdout.log"));
  }

  /** Access-log lines whose status is not 200. */
  public List<String> failedRequests() throws IOException {
    return Files.readAllLines(dir.resolve("access.log")).stream().filter(l -> !l.contains("\" 200 ")).toList();
  }

  /** Access-log lines nginx retried on another node (more than one upstream status). */
  public List<String> retriedRequests() throws IOException {
    return Files.readAllLines(dir.resolve("access.log")).stream().filter(l -> l.contains("upstream_status=")
      && l.substring(l.indexOf("upstream_status=")).contains(",")).toList();
  }

  /** nginx's upstream errors by kind (the text before "while"), with counts; 503 retries are not errors. */
  public java.util.Map<String, Long> upstreamErrors() throws IOException {
    Path log = dir.resolve("error.log");
    if (!Files.exists(log)) {
      return java.util.Map.of();
    }
    return Files.readAllLines(log).stream().filter(l -> l.contains("upstream"))
      .map(l -> l.replaceFirst("^.*?\\*\\d+ ", "").replaceFirst(" while .*$", ""))
      .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.TreeMap::new,
        java.util.stream.Collectors.counting()));
  }

  /**
   * Requests the node on {@code port} answered 200 so far, from the access log: the last upstream tried (a
   * request retried elsewhere lists the failed node first) and its status.
   */
  public long servedBy(int port) throws IOException {
    String upstream = "127.0.0.1:" + port;
    return Files.readAllLines(dir.resolve("access.log")).stream().map(UPSTREAM::matcher).filter(Matcher::find)
      .filter(m -> last(m.group(1)).equals(upstream) && last(m.group(2)).equals("200")).count();
  }

  private static String last(String list) {
    String[] parts = list.split(",\\s*");
    return parts[parts.length - 1].trim();
  }

  /** Waits until nginx has sent the node on {@code port} at least one more request that it answered 200. */
  public void awaitServedBy(int port, long before) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (servedBy(port) <= before && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (servedBy(port) <= before) {
      throw new AssertionError("nginx sent nothing to port " + port + " within 60 s: " + errors());
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
