package dev.colony.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against {@link MemoryQueue}, plus saving and reloading across a graceful restart. */
class MemoryQueueIT extends MessageQueueContract {

  @TempDir
  Path storage;

  private int queues;

  @Override
  protected MessageQueue newQueue(Vertx vertx) throws Exception {
    return await(MemoryQueue.create(vertx, storage.resolve("q" + queues++)).start());
  }

  @Test
  void unfinishedMessagesAreSavedOnCloseAndHandledAfterARestart() throws Exception {
    Path dir = storage.resolve("restart");
    MemoryQueue first = await(MemoryQueue.create(vertx, dir).start());
    String ch = channel("restart");
    int pending = 1_000;
    // 10 in flight (never finishing), 5 delayed, the rest queued behind them.
    AtomicInteger started = new AtomicInteger();
    await(first.consume(ch, m -> {
      started.incrementAndGet();
      return Promise.promise().future();
    }, new ConsumeOptions(10, 60_000, 3, 20, 200)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < pending - 5; i++) {
      ids.add(await(first.publish(ch, new JsonObject().put("n", i))));
    }
    for (int i = 0; i < 5; i++) {
      ids.add(await(first.publish(ch, new JsonObject().put("delayed", i), PublishOptions.delay(300))));
    }
    waitUntil(() -> started.get() == 10, "10 handlers running");
    await(first.close(500));
    assertThat(Files.exists(dir.resolve(ch + ".jsonl"))).isTrue();

    MemoryQueue second = await(MemoryQueue.create(vertx, dir).start());
    assertThat(Files.exists(dir.resolve(ch + ".jsonl"))).as("the saved file is consumed at start").isFalse();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    await(second.consume(ch, m -> {
      handled.add(m.id());
      return Future.succeededFuture();
    }, FAST.withConcurrency(8)));
    waitUntil(() -> handled.size() >= pending, "all saved messages handled");
    List<String> lost = ids.stream().filter(id -> !handled.contains(id)).toList();
    System.out.printf("[MemoryQueueIT] restart: published=%d handled distinct=%d lost=%d%n", pending, handled.size(),
      lost.size());
    assertThat(lost).isEmpty();
    await(second.close(1_000));
  }

  @Test
  void deadLettersSurviveARestartAndCanBeRequeued() throws Exception {
    Path dir = storage.resolve("dead");
    MemoryQueue first = await(MemoryQueue.create(vertx, dir).start());
    String ch = channel("deadkept");
    await(first.consume(ch, m -> Future.failedFuture("always"), FAST.withRetries(0, 10)));
    String id = await(first.publish(ch, new JsonObject().put("a", 1)));
    awaitDeadLetter(first, ch, id);
    await(first.close(1_000));

    MemoryQueue second = await(MemoryQueue.create(vertx, dir).start());
    DeadLetter dead = awaitDeadLetter(second, ch, id);
    assertThat(dead.error()).isEqualTo("always");
    assertThat(dead.attempts()).isEqualTo(1);
    List<Message> got = new ArrayList<>();
    await(second.consume(ch, recording(java.util.Collections.synchronizedList(got)), FAST));
    assertThat(await(second.requeue(ch, id))).isTrue();
    waitUntil(() -> !got.isEmpty(), "requeued after restart");
    await(second.close(1_000));
  }

  @Test
  void anUnreadableSavedLineIsSkippedAndTheRestLoaded() throws Exception {
    Path dir = storage.resolve("bad");
    Files.createDirectories(dir);
    String ch = channel("badline");
    Files.writeString(dir.resolve(ch + ".jsonl"), "not json\n"
      + new JsonObject().put("id", "m1").put("payload", new JsonObject().put("ok", true)).put("publishedAt", 1L)
      .put("attempts", 0).encode() + "\n");
    MemoryQueue q = await(MemoryQueue.create(vertx, dir).start());
    List<Message> got = java.util.Collections.synchronizedList(new ArrayList<>());
    await(q.consume(ch, recording(got), FAST));
    waitUntil(() -> !got.isEmpty(), "the good line handled");
    assertThat(got.get(0).id()).isEqualTo("m1");
    await(q.close(1_000));
  }
}
