package dev.colony.cluster;

import dev.colony.testing.PrivateRedis;
import dev.colony.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/cluster.sh up / status / down, as a user runs it, with its own run directory and settings file. */
class ClusterScriptIT {

  @TempDir
  Path dir;

  private record Run(int exit, String output) {
  }

  private Run script(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("scripts/cluster.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    System.out.print(out);
    return new Run(p.exitValue(), out);
  }

  private static boolean alive(String pid) {
    return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void upStatusDownStartsReportsAndStopsExactlyItsProcesses() throws Exception {
    String app = "cs" + UUID.randomUUID().toString().substring(0, 8);
    Path settings = dir.resolve("cluster.env");
    Files.writeString(settings, TestCluster.clusterEnv(app, dir.resolve("ignored")).entrySet().stream()
      .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\nACCESS_LOG=false\n"
        + "SHUTDOWN_DRAIN_MS=500\nSHUTDOWN_TIMEOUT_MS=2000\n")));
    int base = PrivateRedis.freePort();
    int nginxPort = PrivateRedis.freePort();
    Path run = dir.resolve("run");
    Map<String, String> env = Map.of("RUN_DIR", run.toString(), "BASE_PORT", Integer.toString(base),
      "NGINX_PORT", Integer.toString(nginxPort), "CLUSTER_ENV", settings.toString());
    try {
      Run up = script(env, "up", "2");
      assertThat(up.exit()).as(up.output()).isZero();
      List<String> pids = Files.readAllLines(run.resolve("pids")).stream().map(l -> l.split(" ")[0]).toList();
      assertThat(pids).hasSize(2);

      HttpResponse<String> viaNginx = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + nginxPort + "/api/cluster:status")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(viaNginx.statusCode()).isEqualTo(200);
      assertThat(viaNginx.body()).contains("\"app\":\"" + app + "\"");

      Run status = script(env, "status");
      assertThat(status.exit()).isZero();
      assertThat(status.output().lines().filter(l -> l.matches(
        "(" + base + "|" + (base + 1) + ")\\s+\\d+\\s+up\\s+200\\s+\\d+\\s+\\S+"))).hasSize(2);
      assertThat(script(env, "up", "2").exit()).as("a second up refuses").isNotZero();

      Run down = script(env, "down");
      assertThat(down.exit()).as(down.output()).isZero();
      for (String pid : pids) {
        // down waits until the process has exited; its parent (init) may reap it a moment later.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (alive(pid) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(alive(pid)).as("pid " + pid + " after down").isFalse();
      }
      assertThat(run.resolve("pids")).doesNotExist();
    } finally {
      if (Files.exists(run.resolve("pids")) || Files.exists(run.resolve("nginx.pids"))) {
        script(env, "down");
      }
    }
  }
}
