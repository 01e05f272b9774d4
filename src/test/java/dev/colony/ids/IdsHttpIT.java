package dev.colony.ids;

import dev.colony.Node;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The id endpoints of a single node (random or pinned worker id, no Redis). */
class IdsHttpIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private Node node;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("APP_PORT", "0", "STORAGE_PATH", storage.toString(),
      "ACCESS_LOG", "false", "SHUTDOWN_DRAIN_MS", "0"));
    env.putAll(extra);
    ColonyConfig config = ConfigLoader.load(env, 2);
    node = new Node(vertx, config, List.of(new IdsPart(config)));
    node.start().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(node.port(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void nocobaseIdIsAJsonNumberThatDecodes() throws Exception {
    start(Map.of("WORKER_ID", "0"));
    HttpResponse<Buffer> r = get("/api/ids");
    assertThat(r.statusCode()).isEqualTo(200);
    Object id = r.bodyAsJsonObject().getValue("data");
    assertThat(id).isInstanceOf(Number.class);
    assertThat(((Number) id).longValue()).isLessThan(1L << 53);

    JsonObject decoded = get("/api/ids/" + id).bodyAsJsonObject().getJsonObject("data");
    assertThat(decoded.getLong("id")).isEqualTo(((Number) id).longValue());
    assertThat(decoded.getInteger("workerId")).isZero();
    assertThat(decoded.getString("layout")).isEqualTo("nocobase");
    assertThat(java.time.Instant.parse(decoded.getString("timestamp")))
      .isBetween(java.time.Instant.now().minusSeconds(5), java.time.Instant.now().plusSeconds(5));
  }

  @Test
  void snowflakeIdsAreStrings() throws Exception {
    start(Map.of("ID_LAYOUT", "snowflake", "WORKER_ID", "1023"));
    HttpResponse<Buffer> r = get("/api/ids?count=3");
    assertThat(r.statusCode()).isEqualTo(200);
    var ids = r.bodyAsJsonObject().getJsonArray("data");
    assertThat(ids).hasSize(3);
    assertThat(ids.getValue(0)).isInstanceOf(String.class);
    JsonObject decoded = get("/api/ids/" + ids.getString(2)).bodyAsJsonObject().getJsonObject("data");
    assertThat(decoded.getString("id")).isEqualTo(ids.getString(2));
    assertThat(decoded.getInteger("workerId")).isEqualTo(1023);
  }

  @Test
  void batchIsUniqueAndIncreasing() throws Exception {
    start(Map.of());
    var ids = get("/api/ids?count=10000").bodyAsJsonObject().getJsonArray("data");
    assertThat(ids).hasSize(10_000);
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.getLong(i)).isGreaterThan(ids.getLong(i - 1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001", "-1", "abc", ""})
  void countOutOfRangeIs400(String count) throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/ids?count=" + count);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message"))
      .contains("count must be an integer from 1 to 10000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "abc", "12.5", "99999999999999999999", "9007199254740992"})
  void malformedOrNegativeIdIs400(String id) throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/ids/" + id);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("BAD_REQUEST");
  }

  @Test
  void statusShowsTheWorkerId() throws Exception {
    start(Map.of("WORKER_ID", "7"));
    JsonObject data = get("/api/cluster:status").bodyAsJsonObject().getJsonObject("data");
    assertThat(data.getInteger("workerId")).isEqualTo(7);
    assertThat(data.getJsonObject("adapters").getString("workerIds")).isEqualTo("pinned");
  }
}
