package dev.colony;

import dev.colony.config.ConfigLoader;
import dev.colony.http.ApiException;
import dev.colony.http.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node in this JVM on a free port, with a test part that adds routes and a readiness check. */
class NodeIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final TestPart part = new TestPart();
  private Node node;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Node start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("APP_PORT", "0", "ACCESS_LOG", "false",
      "STORAGE_PATH", storage.toString(), "SHUTDOWN_DRAIN_MS", "0"));
    env.putAll(extra);
    node = new Node(vertx, ConfigLoader.load(env, 2), List.of(part));
    return node.start().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return client.request(method, node.port(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return send(HttpMethod.GET, path);
  }

  @Test
  void healthCheckAnswersOkWhileServing() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/__health_check");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).isEqualTo("ok");
  }

  @Test
  void readinessListsEveryCheck() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(r.bodyAsJsonObject().getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
      .containsExactlyInAnyOrder("node", "storage", "test");
  }

  @Test
  void readinessIs503WhenAPartCheckFails() throws Exception {
    start(Map.of());
    part.healthy.set(false);
    HttpResponse<Buffer> r = get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsString()).contains("\"id\":\"test\",\"status\":\"DOWN\"");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessIs503WhenStorageIsNotWritable() throws Exception {
    start(Map.of());
    Files.delete(storage);
    Files.writeString(storage, "a file where the storage directory should be");
    HttpResponse<Buffer> r = get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsString()).contains("\"id\":\"storage\",\"status\":\"DOWN\"");
  }

  @Test
  void clusterStatusShowsInstancesAndAdaptersWithoutSecrets() throws Exception {
    start(Map.of("CLUSTER_MODE", "2", "DB_PASSWORD", "s3cret", "APP_KEY", "s3cret"));
    HttpResponse<Buffer> r = get("/api/cluster:status");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject data = r.bodyAsJsonObject().getJsonObject("data");
    assertThat(data.getInteger("instances")).isEqualTo(2);
    assertThat(data.getString("nodeId")).isEqualTo(node.nodeId());
    assertThat(data.getJsonObject("adapters").getString("test")).isEqualTo("fake");
    assertThat(data.getJsonObject("configuredNotRunning").getString("queue")).isEqualTo("memory");
    assertThat(data.getString("testField")).isEqualTo("present");
    assertThat(r.bodyAsString()).doesNotContain("s3cret");
  }

  @Test
  void unknownPathIs404Envelope() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/nothing:here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("NOT_FOUND");
  }

  @Test
  void wrongMethodIs405Envelope() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = send(HttpMethod.DELETE, "/api/__health_check");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code"))
      .isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void overLargeBodyIs413() throws Exception {
    start(Map.of("HTTP_BODY_LIMIT", "1k"));
    HttpResponse<Buffer> r = client.post(node.port(), "127.0.0.1", "/api/test:echo")
      .sendBuffer(Buffer.buffer("{\"x\":\"" + "a".repeat(4096) + "\"}")).await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code"))
      .isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void bodyWithinLimitIsEchoed() throws Exception {
    start(Map.of("HTTP_BODY_LIMIT", "1k"));
    HttpResponse<Buffer> r = client.post(node.port(), "127.0.0.1", "/api/test:echo")
      .sendJsonObject(new JsonObject().put("x", 1)).await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject().put("x", 1));
  }

  @Test
  void malformedJsonIs400() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = client.post(node.port(), "127.0.0.1", "/api/test:echo")
      .sendBuffer(Buffer.buffer("{not json")).await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message"))
      .contains("not valid JSON");
  }

  @Test
  void apiExceptionKeepsItsStatusAndRetryAfter() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/test:busy");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("2");
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("BUSY");
  }

  @Test
  void bugIs500WithoutInternals() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> r = get("/api/test:bug");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.bodyAsString()).doesNotContain("secret internals").doesNotContain("IllegalStateException")
      .contains(r.getHeader("X-Request-Id"));
  }

  @Test
  void requestIdIsEchoedOrGenerated() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> given = client.get(node.port(), "127.0.0.1", "/api/__health_check")
      .putHeader("X-Request-Id", "abc-123").send().await(10, TimeUnit.SECONDS);
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("abc-123");
    HttpResponse<Buffer> made = get("/api/__health_check");
    assertThat(made.getHeader("X-Request-Id")).matches("[0-9a-f]{16}");
    HttpResponse<Buffer> refused = client.get(node.port(), "127.0.0.1", "/api/__health_check")
      .putHeader("X-Request-Id", "bad id with spaces").send().await(10, TimeUnit.SECONDS);
    assertThat(refused.getHeader("X-Request-Id")).matches("[0-9a-f]{16}");
  }

  @Test
  void workerModeStarServesHealthButNoApplicationApi() throws Exception {
    start(Map.of("WORKER_MODE", "*"));
    assertThat(get("/api/__health_check").statusCode()).isEqualTo(200);
    assertThat(get("/api/cluster:status").statusCode()).isEqualTo(200);
    assertThat(get("/api/test:busy").statusCode()).isEqualTo(404);
  }

  @Test
  void shutdownDrainsThenLetsInFlightRequestsFinish() throws Exception {
    start(Map.of("SHUTDOWN_DRAIN_MS", "500", "SHUTDOWN_TIMEOUT_MS", "5000"));
    Future<HttpResponse<Buffer>> slow = client.get(node.port(), "127.0.0.1", "/api/test:slow").send();
    part.slowStarted.await(10, TimeUnit.SECONDS);
    Future<Void> stopped = node.shutdown();
    HttpResponse<Buffer> during = get("/api/__health_check");
    assertThat(during.statusCode()).isEqualTo(503);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/api/cluster:status").statusCode()).as("the API is still served while draining").isEqualTo(200);
    assertThat(slow.await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    stopped.await(10, TimeUnit.SECONDS);
    assertThat(part.stopped).isTrue();
    assertThatThrownBy(() -> get("/api/__health_check")).as("the server is closed").isNotNull();
  }

  @Test
  void partsStartedBeforeAFailureAreStopped() throws Exception {
    Part failing = new TestPart() {
      @Override
      public Future<?> start(Node node) {
        return Future.failedFuture(new IllegalStateException("cannot start"));
      }
    };
    node = new Node(vertx, ConfigLoader.load(Map.of("APP_PORT", "0", "STORAGE_PATH", storage.toString()), 2),
      List.of(part, failing));
    assertThatThrownBy(() -> node.start().await(10, TimeUnit.SECONDS)).hasMessageContaining("cannot start");
    assertThat(part.stopped).isTrue();
  }

  /** A part with a few routes and a switchable readiness check. */
  static class TestPart implements Part {
    final AtomicBoolean healthy = new AtomicBoolean(true);
    final io.vertx.core.Promise<Void> slowStartedPromise = io.vertx.core.Promise.promise();
    final Future<Void> slowStarted = slowStartedPromise.future();
    volatile boolean stopped;

    @Override
    public String name() {
      return "test";
    }

    @Override
    public String adapter() {
      return "fake";
    }

    @Override
    public Future<?> start(Node node) {
      node.readiness().register("test", 1000, p -> p.complete(healthy.get() ? Status.OK() : Status.KO()));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      stopped = true;
      return Future.succeededFuture();
    }

    @Override
    public void routes(Router router, Handler<RoutingContext> body) {
      dev.colony.http.Actions.action(router, HttpMethod.POST, "test", "echo").handler(body)
        .handler(ctx -> Envelope.ok(ctx, ctx.body().asJsonObject()));
      dev.colony.http.Actions.action(router, HttpMethod.GET, "test", "busy").handler(ctx -> {
        throw new ApiException(503, "BUSY", "try again", 2);
      });
      dev.colony.http.Actions.action(router, HttpMethod.GET, "test", "bug").handler(ctx -> {
        throw new IllegalStateException("secret internals");
      });
      dev.colony.http.Actions.action(router, HttpMethod.GET, "test", "slow").handler(ctx -> {
        slowStartedPromise.tryComplete();
        ctx.vertx().setTimer(1500, t -> Envelope.ok(ctx, "done"));
      });
    }

    @Override
    public void status(JsonObject status) {
      status.put("testField", "present");
    }
  }
}
