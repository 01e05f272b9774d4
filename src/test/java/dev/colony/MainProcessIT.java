package dev.colony;

import dev.colony.testing.PrivateRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar run the way an operator runs it: {@code java -jar target/colony.jar} in a working directory. */
class MainProcessIT {

  private static final Path JAR = Path.of("target/colony.jar").toAbsolutePath();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> started = new ArrayList<>();

  @TempDir
  Path workDir;

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  private Process run(Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JAR.toString()).directory(workDir.toFile()).redirectErrorStream(false)
      .redirectOutput(workDir.resolve("stdout.log").toFile()).redirectError(workDir.resolve("stderr.log").toFile());
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private String stderr() throws IOException {
    return Files.readString(workDir.resolve("stderr.log"));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitHealthy(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        if (get(port, "/api/__health_check").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node did not become healthy; stdout: "
      + Files.readString(workDir.resolve("stdout.log")) + " stderr: " + stderr());
  }

  @Test
  void badConfigurationExitsNonZeroNamingEveryVariableWithoutStackTrace() throws Exception {
    Process p = run(Map.of("QUEUE_ADAPTER", "kafka", "APP_PORT", "abc"));
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr()).contains("QUEUE_ADAPTER=\"kafka\"").contains("APP_PORT=\"abc\"")
      .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void halfClusterRefusesToStartNamingWhatIsMissing() throws Exception {
    Process p = run(Map.of("LOCK_ADAPTER_DEFAULT", "redis"));
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr()).contains("CACHE_DEFAULT_STORE").contains("QUEUE_ADAPTER").contains("REDIS_URL")
      .contains("DB_DIALECT").contains("APP_KEY").doesNotContain("\tat ");
  }

  @Test
  void dotEnvIsReadAndMaxInstancesFollowsProcessors() throws Exception {
    int port = PrivateRedis.freePort();
    Files.writeString(workDir.resolve(".env"), "APP_PORT=" + port + "\nCLUSTER_MODE=max\nAPP_NAME=fromfile\n");
    Process p = run(Map.of("APP_NAME", "fromenv"));
    awaitHealthy(port, p);
    String status = get(port, "/api/cluster:status").body();
    assertThat(status).contains("\"instances\":" + Runtime.getRuntime().availableProcessors())
      .contains("\"app\":\"fromenv\"");
    p.destroyForcibly();
  }

  @Test
  void sigtermDrainsAndExitsZero() throws Exception {
    int port = PrivateRedis.freePort();
    Process p = run(Map.of("APP_PORT", String.valueOf(port), "SHUTDOWN_DRAIN_MS", "1000",
      "SHUTDOWN_TIMEOUT_MS", "3000", "STORAGE_PATH", workDir.resolve("storage").toString()));
    awaitHealthy(port, p);
    p.destroy(); // SIGTERM
    Thread.sleep(200);
    assertThat(get(port, "/api/__health_check").statusCode()).as("503 during the drain").isEqualTo(503);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(workDir.resolve("stdout.log"))).contains("SIGTERM received").contains("stopped");
  }

  @Test
  void secondSignalExitsAtOnce() throws Exception {
    int port = PrivateRedis.freePort();
    Process p = run(Map.of("APP_PORT", String.valueOf(port), "SHUTDOWN_DRAIN_MS", "60000",
      "STORAGE_PATH", workDir.resolve("storage").toString()));
    awaitHealthy(port, p);
    p.destroy(); // SIGTERM: starts a 60 s drain
    Thread.sleep(300);
    assertThat(p.isAlive()).isTrue();
    p.destroy(); // the second one ends it now
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(128 + 15);
  }
}
