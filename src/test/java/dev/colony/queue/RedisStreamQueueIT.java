package dev.colony.queue;

import dev.colony.testing.TestRedis;
import dev.colony.testing.PrivateRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The contract against {@link RedisStreamQueue} on the shared test Redis, plus what only Redis can show. */
class RedisStreamQueueIT extends MessageQueueContract {

  static final String APP = "tq" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 30, 36);

  Redis admin;
  RedisAPI redis;

  /** Closed with the test's Vert.x, after the contract's clean-up has used it. */
  @BeforeEach
  void connectAdmin() {
    admin = Redis.createClient(vertx, TestRedis.url());
    redis = RedisAPI.api(admin);
  }

  /**
   * Claims after handler timeout + 1 s; a 10 s call deadline, since the machine running the tests may be loaded
   * enough to stall an event loop for seconds (the deadline itself is tested in the publish-while-down case).
   */
  static RedisQueueOptions options(String url) {
    return RedisQueueOptions.of(url, APP, "c" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 30, 36))
      .withClaim(1_000, 500).withCallTimeout(10_000);
  }

  @Override
  protected MessageQueue newQueue(Vertx vertx) throws Exception {
    return await(RedisStreamQueue.create(vertx, options(TestRedis.url())).start());
  }

  @Override
  protected void deleteChannel(String channel) throws Exception {
    String s = APP + ":queue:" + channel;
    await(redis.del(List.of(s, s + ":delayed", s + ":dead", s + ":dead-index")));
  }

  // ---- what only Redis shows

  @Test
  void entriesThatAreNotQueueMessagesAreDeadLetteredAndTheConsumerKeepsGoing() throws Exception {
    MessageQueue q = queue();
    String ch = channel("bad");
    String key = APP + ":queue:" + ch;
    List<Message> good = new CopyOnWriteArrayList<>();
    await(q.consume(ch, recording(good), FAST));
    String notJson = await(redis.xadd(List.of(key, "*", "id", "m-notjson", "p", "{not json"))).toString();
    String array = await(redis.xadd(List.of(key, "*", "id", "m-array", "p", "[1,2]"))).toString();
    String noPayload = await(redis.xadd(List.of(key, "*", "foo", "bar"))).toString();
    String badNumber = await(redis.xadd(List.of(key, "*", "id", "m-num", "p", "{}", "a", "many"))).toString();
    String id = await(q.publish(ch, new JsonObject().put("fine", true)));

    waitUntil(() -> good.size() == 1, "the good message handled after the bad ones");
    assertThat(good.get(0).id()).isEqualTo(id);
    DeadLetter d1 = awaitDeadLetter(q, ch, "m-notjson");
    assertThat(d1.error()).contains("stream entry " + notJson).contains("not a JSON object").contains("{not json");
    assertThat(d1.payload()).isEqualTo(new JsonObject().put("unreadable", "{not json"));
    assertThat(awaitDeadLetter(q, ch, "m-array").error()).contains(array).contains("not a JSON object");
    assertThat(awaitDeadLetter(q, ch, noPayload).error()).contains("no payload field");
    assertThat(awaitDeadLetter(q, ch, "m-num").error()).contains(badNumber).contains("malformed number");
    System.out.printf("[RedisStreamQueueIT] bad entries: 4 dead-lettered, good message handled: %d%n", good.size());
  }

  @Test
  void trimmingRemovesAcknowledgedEntriesButNeverPendingOrUnreadOnes() throws Exception {
    MessageQueue q = await(RedisStreamQueue.create(vertx, options(TestRedis.url()).withTrimInterval(100)).start());
    String ch = channel("trim");
    String key = APP + ":queue:" + ch;
    Promise<Void> hold = Promise.promise();
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    QueueSubscription sub = await(q.consume(ch, m -> {
      int n = m.payload().getInteger("n");
      if (n == 0) {
        return hold.future();
      }
      done.add(n);
      return Future.succeededFuture();
    }, new ConsumeOptions(2, 60_000, 0, 10, 10)));
    for (int i = 1; i <= 30; i++) {
      await(q.publish(ch, new JsonObject().put("n", i)));
    }
    waitUntil(() -> done.size() == 30, "30 messages acknowledged");
    waitUntil(() -> xlen(key) <= 1, "acknowledged entries trimmed (the last delivered one stays)");

    await(q.publish(ch, new JsonObject().put("n", 0)));
    waitUntil(() -> pendingCount(key) == 1, "the held message pending");
    for (int i = 31; i <= 40; i++) {
      await(q.publish(ch, new JsonObject().put("n", i)));
    }
    waitUntil(() -> done.size() == 40, "the 10 messages after the held one acknowledged");
    Thread.sleep(1_000); // ten trim intervals
    long withPending = xlen(key);

    sub.pause();
    Thread.sleep(300);
    for (int i = 41; i <= 50; i++) {
      await(q.publish(ch, new JsonObject().put("n", i)));
    }
    Thread.sleep(1_000); // ten more trim intervals, with 10 entries unread
    long withUnread = xlen(key);
    sub.resume();
    waitUntil(() -> done.size() == 50, "the 10 unread messages handled after resume");
    hold.complete();
    waitUntil(() -> pendingCount(key) == 0, "the held message acknowledged");
    waitUntil(() -> xlen(key) <= 1, "everything trimmed but the last delivered entry");
    System.out.printf("[RedisStreamQueueIT] trim: stream length with 1 pending (+10 acked after it) = %d; with 10"
      + " unread more = %d; at the end %d%n", withPending, withUnread, xlen(key));
    assertThat(withPending).as("the pending entry and those after it are kept").isGreaterThanOrEqualTo(11);
    assertThat(withUnread).as("unread entries are not trimmed").isGreaterThanOrEqualTo(withPending + 10);
    await(q.close(5_000));
  }

  @Test
  void aConsumerJvmKilledMidHandlerLosesNothing() throws Exception {
    int total = 10_000;
    String ch = channel("sigkill");
    String handledKey = APP + ":test:handled:" + ch;
    MessageQueue publisher = queue();
    List<Future<String>> sent = new ArrayList<>();
    Set<String> published = new HashSet<>();
    for (int i = 0; i < total; i++) {
      sent.add(publisher.publish(ch, new JsonObject().put("n", i)));
      if (sent.size() == 500) {
        for (Future<String> f : sent) {
          published.add(await(f));
        }
        sent.clear();
      }
    }
    for (Future<String> f : sent) {
      published.add(await(f));
    }

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
      QueueConsumerMain.class.getName(), TestRedis.url(), APP, "doomed-" + RUN, ch, handledKey, "50", "40")
      .redirectErrorStream(true).start();
    try {
      // Reads the child's output to its end (so it never blocks on a full pipe), noting when it consumes.
      CompletableFuture<Void> consuming = new CompletableFuture<>();
      Thread drain = new Thread(() -> {
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("CONSUMING")) {
              consuming.complete(null);
            } else if (!consuming.isDone()) {
              output.append(line).append('\n');
            }
          }
        } catch (IOException e) {
          consuming.completeExceptionally(e);
        }
        consuming.completeExceptionally(new IllegalStateException("child ended without consuming; its output:\n"
          + output));
      }, "child-output");
      drain.setDaemon(true);
      drain.start();
      consuming.get(60, TimeUnit.SECONDS);
      waitUntil(() -> scard(handledKey) >= 2_000, "the child handled 2,000 messages");
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    long byChild = scard(handledKey);
    long pendingAtKill = pendingCount(APP + ":queue:" + ch);

    RedisStreamQueue survivor = await(RedisStreamQueue.create(vertx, options(TestRedis.url())).start());
    RedisAPI api = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString(TestRedis.url())
      .setMaxPoolWaiting(1_000)));
    await(survivor.consume(ch, m -> api.sadd(List.of(handledKey, m.id())), new ConsumeOptions(50, 2_000, 3, 100,
      1_000)));
    try {
      waitUntil(() -> scard(handledKey) >= total, "all messages handled");
      Set<String> handled = new HashSet<>();
      await(redis.smembers(handledKey)).forEach(r -> handled.add(r.toString()));
      long lost = published.stream().filter(id -> !handled.contains(id)).count();
      JsonObject stats = survivor.stats().getJsonObject(ch);
      System.out.printf("[RedisStreamQueueIT] dead consumer: published=%d handled distinct=%d lost=%d (child"
          + " handled %d before SIGKILL, %d pending at kill, survivor claimed %d)%n", published.size(),
        handled.size(), lost, byChild, pendingAtKill, stats.getLong("claimed"));
      assertThat(published).hasSize(total);
      assertThat(lost).isZero();
      assertThat(pendingAtKill).as("the kill landed with handlers in flight").isPositive();
      assertThat(stats.getLong("claimed")).as("the dead consumer's messages were claimed").isPositive();
    } finally {
      await(survivor.close(5_000));
      await(redis.del(List.of(handledKey)));
    }
  }

  @Test
  void aRedisRestartWithAofLosesNoConfirmedMessage() throws Exception {
    try (PrivateRedis server = PrivateRedis.start(true)) {
      RedisStreamQueue q = await(RedisStreamQueue.create(vertx, options(server.url())).start());
      String ch = channel("restart");
      Set<String> handled = ConcurrentHashMap.newKeySet();
      await(q.consume(ch, m -> {
        handled.add(m.id());
        return Future.succeededFuture();
      }, new ConsumeOptions(20, 2_000, 3, 100, 1_000)));

      int total = 5_000;
      List<String> confirmed = new CopyOnWriteArrayList<>();
      AtomicInteger failures = new AtomicInteger();
      CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
        // Windows of 50 publishes in flight; a failed one is published again until confirmed.
        for (int start = 0; start < total; start += 50) {
          List<Integer> todo = new ArrayList<>();
          for (int i = start; i < Math.min(total, start + 50); i++) {
            todo.add(i);
          }
          while (!todo.isEmpty()) {
            List<Future<String>> window = todo.stream()
              .map(i -> q.publish(ch, new JsonObject().put("n", i))).toList();
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < window.size(); k++) {
              try {
                confirmed.add(window.get(k).await(10, TimeUnit.SECONDS));
              } catch (Exception e) {
                failures.incrementAndGet();
                again.add(todo.get(k));
              }
            }
            todo = again;
            if (!todo.isEmpty()) {
              sleep(100);
            }
          }
        }
      });
      waitUntil(() -> confirmed.size() >= total / 3, "a third published");
      int handledAtRestart = handled.size();
      server.restart();
      publishing.get(120, TimeUnit.SECONDS);
      int failed = failures.get();
      waitUntil(() -> handled.containsAll(confirmed), "every confirmed message handled");
      long lost = confirmed.stream().filter(id -> !handled.contains(id)).count();
      System.out.printf("[RedisStreamQueueIT] redis restart (AOF, fsync always): published (confirmed)=%d handled"
        + " distinct=%d lost=%d (handled at restart %d; publish attempts that failed while Redis was down: %d)%n",
        confirmed.size(), handled.size(), lost, handledAtRestart, failed);
      assertThat(lost).isZero();
      await(q.close(5_000));
    }
  }

  @Test
  void aRedisThatLostItsDataGetsTheGroupBackAndAPublishWhileDownFails() throws Exception {
    try (PrivateRedis server = PrivateRedis.start(false)) {
      RedisStreamQueue q = await(RedisStreamQueue.create(vertx, options(server.url())).start());
      String ch = channel("nogroup");
      List<Message> got = new CopyOnWriteArrayList<>();
      await(q.consume(ch, recording(got), FAST));
      await(q.publish(ch, new JsonObject().put("before", true)));
      waitUntil(() -> got.size() == 1, "the first message handled");

      server.kill();
      Throwable failure = null;
      try {
        q.publish(ch, new JsonObject()).await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        failure = e;
      }
      assertThat(failure).as("a publish while Redis is down fails").isNotNull();
      server.launch();

      String id = null;
      for (int i = 0; i < 100 && id == null; i++) {
        try {
          id = q.publish(ch, new JsonObject().put("after", true)).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          Thread.sleep(100);
        }
      }
      String after = id;
      waitUntil(() -> got.stream().anyMatch(m -> m.id().equals(after)), "a message published after the data loss");
      System.out.printf("[RedisStreamQueueIT] data loss: publish while down failed with %s; group re-created%n",
        failure);
      await(q.close(5_000));
    }
  }

  private long xlen(String key) {
    return quiet(redis.xlen(key)).toLong();
  }

  private long scard(String key) {
    return quiet(redis.scard(key)).toLong();
  }

  private long pendingCount(String key) {
    return quiet(redis.xpending(List.of(key, APP))).get(0).toLong();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T quiet(Future<T> f) {
    try {
      return await(f);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
