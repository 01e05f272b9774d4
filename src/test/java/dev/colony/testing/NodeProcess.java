package dev.colony.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Colony node as a child process ({@code java -jar target/colony.jar}) on a free port, with only the given
 * variables set. Logs go to {@code <dir>/node-<port>.log} (appended, so a node restarted on its port keeps one log).
 * Close kills it.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target/colony.jar").toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a node; does not wait for it (see {@link #awaitHealthy()}). */
  public static NodeProcess start(Path dir, Map<String, String> env) throws IOException {
    return start(dir, PrivateRedis.freePort(), env);
  }

  /** Starts a node on {@code port}; does not wait for it. */
  public static NodeProcess start(Path dir, int port, Map<String, String> env) throws IOException {
    Path log = dir.resolve("node-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", JAR.toString()).directory(dir.toFile()).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(Map.of("APP_PORT", Integer.toString(port), "ACCESS_LOG", "false",
      "STORAGE_PATH", dir.resolve("storage").toString(), "SHUTDOWN_DRAIN_MS", "0"));
    pb.environment().putAll(env);
    return new NodeProcess(pb.start(), port, log);
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** GET on this node; the body as text. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until {@code /api/__health_check} answers 200; fails with the node's log if it exits or hangs. */
  public NodeProcess awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (get("/api/__health_check").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node on port " + port + " did not become healthy; log:\n" + log());
  }

  /** Waits until {@code /health/ready} answers 200; fails with the node's log if it exits or hangs. */
  public NodeProcess awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (get("/health/ready").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node on port " + port + " did not become ready; log:\n" + log());
  }

  /** SIGTERM, as an orchestrator stopping the node; waits for the exit and returns its status. */
  public int terminate() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("node on port " + port + " did not exit within 60 s of SIGTERM; log:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
