package dev.colony.ids;

import dev.colony.testing.NodeProcess;
import dev.colony.testing.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Node processes leasing worker ids from the real Redis. */
class IdsClusterIT {

  private static final long TTL_MS = 3000;

  @TempDir
  Path dir;

  private final String app = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", TestRedis.url(), "APP_NAME", app,
      "CLUSTER_ALLOW_PARTIAL", "true", "ID_LEASE_TTL_MS", Long.toString(TTL_MS)));
    env.putAll(extra);
    NodeProcess n = NodeProcess.start(dir, env);
    nodes.add(n);
    return n;
  }

  private static int workerId(NodeProcess n) throws Exception {
    return new JsonObject(n.get("/api/cluster:status").body()).getJsonObject("data").getInteger("workerId");
  }

  @Test
  void threeNodesLeaseDistinctWorkerIdsAndIssueUniqueIds() throws Exception {
    for (int i = 0; i < 3; i++) {
      start(Map.of());
    }
    for (NodeProcess n : nodes) {
      n.awaitHealthy();
    }
    assertThat(nodes.stream().map(n -> {
      try {
        return workerId(n);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).distinct()).hasSize(3);

    long[] all = new long[120_000];
    int k = 0;
    for (int round = 0; round < 4; round++) {
      for (NodeProcess n : nodes) {
        var r = n.get("/api/ids?count=10000");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray ids = new JsonObject(r.body()).getJsonArray("data");
        for (int i = 0; i < ids.size(); i++) {
          all[k++] = ids.getLong(i);
        }
      }
    }
    Arrays.sort(all);
    long distinct = Arrays.stream(all).distinct().count();
    System.out.printf("ids fetched over HTTP from 3 nodes: %d, distinct: %d%n", all.length, distinct);
    assertThat(distinct).isEqualTo(all.length);
  }

  @Test
  void killedNodesSlotIsTakenAgainOnlyAfterTheTtl() throws Exception {
    NodeProcess victim = start(Map.of()).awaitHealthy();
    int slot = workerId(victim);
    victim.kill();
    long killedAt = System.nanoTime();

    NodeProcess early = start(Map.of("WORKER_ID", Integer.toString(slot)));
    assertThat(early.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    long earlyExitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    if (earlyExitMs < TTL_MS) {
      assertThat(early.process().exitValue()).isNotZero();
      assertThat(early.log()).contains("worker id " + slot + " is taken");
    }

    long remaining = TTL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    if (remaining > 0) {
      Thread.sleep(remaining + 200);
    }
    NodeProcess successor = start(Map.of("WORKER_ID", Integer.toString(slot))).awaitHealthy();
    assertThat(workerId(successor)).isEqualTo(slot);
    System.out.printf("slot %d: refused %d ms after the kill, leased again after the %d ms TTL%n",
      slot, earlyExitMs, TTL_MS);
  }
}
