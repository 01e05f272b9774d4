package dev.colony.queue;

import dev.colony.Node;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import dev.colony.ids.IdsPart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.colony.queue.MessageQueueContract.FAST;
import static dev.colony.queue.MessageQueueContract.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter endpoints of a single node on the memory queue. */
class QueueHttpIT {

  @TempDir
  Path storage;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void deadLettersAreListedAndRequeuedOverHttp() throws Exception {
    ColonyConfig config = ConfigLoader.load(Map.of("APP_PORT", "0", "STORAGE_PATH", storage.toString(),
      "ACCESS_LOG", "false", "SHUTDOWN_DRAIN_MS", "0"), 1);
    QueuePart queue = new QueuePart(config);
    Node node = new Node(vertx, config, List.of(new IdsPart(config), queue));
    node.start().await(10, TimeUnit.SECONDS);
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger handled = new AtomicInteger();
    queue.consumeIfWorker("mail", m -> {
      if (broken.get()) {
        return Future.failedFuture("smtp down");
      }
      handled.incrementAndGet();
      return Future.succeededFuture();
    }, FAST.withRetries(0, 10)).await(10, TimeUnit.SECONDS);
    String id = queue.queue().publish("mail", new JsonObject().put("to", "a@b.c")).await(10, TimeUnit.SECONDS);
    MessageQueueContract.awaitDeadLetter(queue.queue(), "mail", id);

    HttpResponse<Buffer> list = get(node, "/api/queue:deadLetters?channel=mail");
    assertThat(list.statusCode()).isEqualTo(200);
    JsonArray data = list.bodyAsJsonObject().getJsonArray("data");
    assertThat(data).hasSize(1);
    assertThat(data.getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(data.getJsonObject(0).getString("error")).isEqualTo("smtp down");
    assertThat(data.getJsonObject(0).getJsonObject("payload").getString("to")).isEqualTo("a@b.c");

    HttpResponse<Buffer> bad = get(node, "/api/queue:deadLetters?channel=no%20spaces");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("invalid queue channel name");
    assertThat(get(node, "/api/queue:deadLetters?channel=mail&limit=0").statusCode()).isEqualTo(400);

    broken.set(false);
    HttpResponse<Buffer> requeued = post(node, new JsonObject().put("channel", "mail").put("id", id));
    assertThat(requeued.statusCode()).isEqualTo(200);
    waitUntil(() -> handled.get() == 1, "the requeued message handled");
    HttpResponse<Buffer> again = post(node, new JsonObject().put("channel", "mail").put("id", id));
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(post(node, new JsonObject().put("channel", "mail")).statusCode()).isEqualTo(400);
    JsonObject status = node.status();
    assertThat(status.getJsonObject("adapters").getString("queue")).isEqualTo("memory");
    assertThat(status.getJsonObject("configuredNotRunning").containsKey("queue")).isFalse();
    node.shutdown().await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(Node node, String path) throws Exception {
    return client.get(node.port(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> post(Node node, JsonObject body) throws Exception {
    return client.post(node.port(), "127.0.0.1", "/api/queue:requeue").sendJsonObject(body)
      .await(10, TimeUnit.SECONDS);
  }
}
