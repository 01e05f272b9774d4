package dev.colony.storage;

import dev.colony.testing.NodeProcess;
import dev.colony.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Cluster-mode node processes whose STORAGE_PATH is, or is not, one directory. */
class SharedStorageIT {

  @TempDir
  Path dir;

  private final String app = "ss" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess start(Path storage) throws Exception {
    NodeProcess n = NodeProcess.start(dir, TestCluster.clusterEnv(app, storage));
    nodes.add(n);
    return n.awaitHealthy();
  }

  @Test
  void nodesOnSeparateStorageAreNotReadyAndNameEachOther() throws Exception {
    NodeProcess a = start(dir.resolve("a"));
    NodeProcess b = start(dir.resolve("b"));
    String bId = nodeId(b);
    HttpResponse<String> ready = awaitStatus(a, 503);
    System.out.println("node on its own storage: " + ready.body());
    JsonObject check = check(ready, "sharedStorage");
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getJsonObject("data").getJsonArray("missingMarkers").getList()).containsExactly(bId);
    assertThat(awaitStatus(b, 503).body()).contains(nodeId(a));
  }

  @Test
  void nodesOnOneStorageAreReadyAndGracefulStopRemovesTheMarker() throws Exception {
    Path storage = dir.resolve("shared");
    NodeProcess a = start(storage);
    NodeProcess b = start(storage);
    b.awaitReady();
    JsonObject check = check(a.awaitReady().get("/health/ready"), "sharedStorage");
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").getInteger("otherLiveNodes")).isEqualTo(1);
    Path marker = storage.resolve(".colony/nodes").resolve(nodeId(b));
    assertThat(marker).exists();
    assertThat(b.terminate()).isZero();
    assertThat(Files.exists(marker)).isFalse();
  }

  private static String nodeId(NodeProcess n) throws Exception {
    return new JsonObject(n.get("/api/cluster:status").body()).getJsonObject("data").getString("nodeId");
  }

  private static HttpResponse<String> awaitStatus(NodeProcess n, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<String> r = n.get("/health/ready");
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = n.get("/health/ready");
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r;
  }

  private static JsonObject check(HttpResponse<String> r, String id) {
    return new JsonObject(r.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow(() -> new AssertionError(r.body()));
  }
}
