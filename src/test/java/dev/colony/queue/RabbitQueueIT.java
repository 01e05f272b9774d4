package dev.colony.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.colony.testing.TestRabbit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against {@link RabbitQueue} on the test broker, plus what only RabbitMQ shows. */
class RabbitQueueIT extends MessageQueueContract {

  /** From a UUID (SecureRandom): runs started at the same instant on this machine must not share queues. */
  static final String APP = "tq" + UUID.randomUUID().toString().substring(0, 8);

  @Override
  protected MessageQueue newQueue(Vertx vertx) throws Exception {
    return await(RabbitQueue.start(vertx, TestRabbit.url(), APP));
  }

  @Override
  protected void deleteChannel(String channel) throws Exception {
    RabbitQueue admin = await(RabbitQueue.start(vertx, TestRabbit.url(), APP));
    try {
      await(admin.deleteChannel(channel));
    } finally {
      await(admin.close(1_000));
    }
  }

  // ---- what only RabbitMQ shows

  @Test
  void theWorkQueueIsAQuorumQueue() throws Exception {
    RabbitQueue q = (RabbitQueue) queue();
    String ch = channel("quorum");
    await(q.publish(ch, new JsonObject()));
    assertThat(q.isQuorum(ch)).isTrue();
    assertThat(q.ready()).isTrue();
    await(q.ping());
  }

  @Test
  void aBodyThatIsNotJsonIsDeadLetteredAndTheConsumerKeepsGoing() throws Exception {
    MessageQueue q = queue();
    String ch = channel("notjson");
    await(q.publish(ch, new JsonObject().put("warm", true))); // declares the topology
    try (Connection c = rawConnection(); Channel raw = c.createChannel()) {
      raw.basicPublish("", APP + "." + ch, new AMQP.BasicProperties.Builder().headers(Map.of(RabbitNames.H_ID,
        "raw-1")).build(), "not { json".getBytes(StandardCharsets.UTF_8));
      raw.basicPublish("", APP + "." + ch, null, "[1,2]".getBytes(StandardCharsets.UTF_8));
    }
    List<Message> handled = new CopyOnWriteArrayList<>();
    await(q.consume(ch, recording(handled), FAST));
    String after = await(q.publish(ch, new JsonObject().put("after", true)));

    waitUntil(() -> handled.stream().anyMatch(m -> m.id().equals(after)), "the message after the bad ones handled");
    DeadLetter dead = awaitDeadLetter(q, ch, "raw-1");
    assertThat(dead.error()).contains("payload is not a JSON object");
    assertThat(dead.payload().getString("unreadable")).isEqualTo("not { json");
    waitUntil(() -> deadCount(q, ch) == 2, "both bad bodies dead-lettered");
    assertThat(handled).extracting(m -> m.payload().containsKey("unreadable")).containsOnly(false);
  }

  @Test
  void aPublishThatCannotBeRoutedFails() throws Exception {
    RabbitQueue q = (RabbitQueue) queue();
    String ch = channel("unroutable");
    await(q.publish(ch, new JsonObject()));
    try (Connection c = rawConnection(); Channel raw = c.createChannel()) {
      raw.queueDelete(APP + "." + ch); // behind the queue's back: its topology cache still says declared
    }
    Future<String> f = q.publish(ch, new JsonObject());
    Throwable e = f.transform(ar -> Future.succeededFuture(ar.cause())).await(WAIT_S, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(RabbitPublisher.NotConfirmedException.class).hasMessageContaining("unroutable");
  }

  @Test
  void closeLetsRunningHandlersFinishAndLeavesTheRestToBeRedelivered() throws Exception {
    MessageQueue first = newQueue(vertx);
    String ch = channel("close");
    Set<String> published = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 10; i++) {
      published.add(await(first.publish(ch, new JsonObject().put("n", i))));
    }
    Set<String> started = ConcurrentHashMap.newKeySet();
    Set<String> finished = ConcurrentHashMap.newKeySet();
    await(first.consume(ch, m -> {
      started.add(m.id());
      io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
      vertx.setTimer(500, t -> {
        finished.add(m.id());
        p.complete();
      });
      return p.future();
    }, FAST.withConcurrency(2)));
    waitUntil(() -> started.size() == 2, "two handlers running");
    await(first.close(10_000));
    assertThat(finished).as("running handlers finished before close completed").containsAll(started);
    assertThat(((RabbitQueue) first).ready()).isFalse();

    Set<String> second = ConcurrentHashMap.newKeySet();
    MessageQueue next = queue();
    await(next.consume(ch, m -> {
      second.add(m.id());
      return Future.succeededFuture();
    }, FAST.withConcurrency(4)));
    waitUntil(() -> second.size() + finished.size() >= 10 && published.stream()
      .allMatch(id -> second.contains(id) || finished.contains(id)), "the rest handled by the next consumer");
    System.out.printf("[RabbitQueueIT] close: %d finished during close, %d handled after%n", finished.size(),
      second.size());
    assertThat(second).as("handlers that finished during close were acked, not redelivered")
      .doesNotContainAnyElementsOf(finished);
  }

  @Test
  void everyConfirmedMessageArrivesAcrossAForcedConnectionClose() throws Exception {
    MessageQueue publisher = queue();
    MessageQueue consumer = queue();
    String ch = channel("cut");
    Set<String> received = ConcurrentHashMap.newKeySet();
    await(consumer.consume(ch, m -> {
      received.add(m.id());
      return Future.succeededFuture();
    }, FAST.withConcurrency(20)));

    int total = 5_000;
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger confirmedAfterCut = new AtomicInteger();
    AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
    Semaphore window = new Semaphore(200);
    AtomicInteger pingFailures = new AtomicInteger();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> { // what the readiness check sees, every 20 ms through the cut
      while (watching.get()) {
        try {
          publisher.ping().await(WAIT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
          pingFailures.incrementAndGet();
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }, "watcher");
    watcher.start();
    Thread cutter = new Thread(() -> {
      try {
        waitUntil(() -> confirmed.size() >= 1_000, "1,000 confirmed before the cut");
        cutAt.set(System.nanoTime());
        closeConnections();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "cutter");
    cutter.start();
    for (int i = 0; i < total; i++) {
      boolean done = false;
      while (!done) { // a failed publish is retried by the caller, as the contract tells callers to
        window.acquire();
        attempts.incrementAndGet();
        long started = System.nanoTime();
        Future<String> f = publisher.publish(ch, new JsonObject().put("n", i)).onComplete(ar -> window.release());
        try {
          confirmed.add(f.await(WAIT_S, TimeUnit.SECONDS));
          if (started > cutAt.get()) {
            confirmedAfterCut.incrementAndGet();
          }
          done = true;
        } catch (Exception e) {
          failed.incrementAndGet();
          Thread.sleep(100);
        }
      }
    }
    cutter.join(TimeUnit.SECONDS.toMillis(WAIT_S));
    watching.set(false);
    watcher.join(TimeUnit.SECONDS.toMillis(WAIT_S));

    waitUntil(() -> received.containsAll(confirmed), "every confirmed message received");
    long lost = confirmed.stream().filter(id -> !received.contains(id)).count();
    System.out.printf("[RabbitQueueIT] connection loss: published=%d confirmed=%d failed=%d received distinct=%d"
      + " lost among confirmed=%d (confirmed after the cut %d; ping failures while down %d)%n", attempts.get(),
      confirmed.size(), failed.get(), received.size(), lost, confirmedAfterCut.get(), pingFailures.get());
    assertThat(lost).isZero();
    assertThat(confirmed).hasSize(total);
    assertThat(cutAt.get()).as("the connections were closed mid-stream").isNotEqualTo(Long.MAX_VALUE);
    assertThat(confirmedAfterCut.get()).as("the publisher recovered by itself").isPositive();
    assertThat(pingFailures.get()).as("readiness (ping) failed while the connection was down").isPositive();
    assertThat(((RabbitQueue) consumer).ready()).isTrue();
    assertThat(publisher.ping().succeeded()).as("and is up again after recovery").isTrue();
  }

  @Test
  void aConsumerJvmKilledMidHandlerLosesNothing() throws Exception {
    int total = 10_000;
    String ch = channel("sigkill");
    MessageQueue publisher = queue();
    List<Future<String>> sent = new ArrayList<>();
    Set<String> published = ConcurrentHashMap.newKeySet();
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

    Set<String> handled = ConcurrentHashMap.newKeySet();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
      RabbitConsumerMain.class.getName(), TestRabbit.url(), APP, ch, "50", "40").redirectErrorStream(true).start();
    AtomicInteger byChild = new AtomicInteger();
    try {
      CompletableFuture<Void> consuming = new CompletableFuture<>();
      Thread drain = new Thread(() -> {
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("HANDLED ")) {
              handled.add(line.substring(8));
              byChild.incrementAndGet();
            } else if (line.startsWith("CONSUMING")) {
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
      waitUntil(() -> byChild.get() >= 2_000, "the child handled 2,000 messages");
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      drain.join(10_000);
    } finally {
      child.destroyForcibly();
    }
    int childHandled = byChild.get();

    AtomicInteger redelivered = new AtomicInteger();
    MessageQueue survivor = queue();
    await(survivor.consume(ch, m -> {
      if (m.attempt() > 1) {
        redelivered.incrementAndGet();
      }
      handled.add(m.id());
      return Future.succeededFuture();
    }, FAST.withConcurrency(50)));
    waitUntil(() -> handled.containsAll(published), "all messages handled");
    long lost = published.stream().filter(id -> !handled.contains(id)).count();
    System.out.printf("[RabbitQueueIT] dead consumer: published=%d handled distinct=%d lost=%d (child handled %d"
      + " before SIGKILL, survivor got %d redeliveries)%n", published.size(), handled.size(), lost, childHandled,
      redelivered.get());
    assertThat(published).hasSize(total);
    assertThat(lost).isZero();
    assertThat(childHandled).as("the kill landed mid-stream").isLessThan(total);
    assertThat(redelivered.get()).as("the dead consumer's unacked messages were redelivered").isPositive();
  }

  // ---- helpers

  private static Connection rawConnection() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(TestRabbit.url());
    return f.newConnection("colony-test-raw");
  }

  private static int deadCount(MessageQueue q, String ch) {
    try {
      return await(q.deadLetters(ch, 100)).size();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Closes this test's connections from the broker side ({@code rabbitmqctl close_connection}, the per-connection
   * form of {@code close_all_connections}: other runs share the broker and must not be cut).
   */
  private static void closeConnections() throws Exception {
    String ctl = rabbitmqctl();
    String listing = run(ctl, "-q", "list_connections", "pid", "client_properties");
    int closed = 0;
    for (String line : listing.split("\n")) {
      if (line.contains("\"colony-" + APP + "\"")) {
        String pid = line.substring(0, line.indexOf('\t'));
        run(ctl, "close_connection", pid, "test");
        closed++;
      }
    }
    System.out.printf("[RabbitQueueIT] closed %d connections of %s with rabbitmqctl%n", closed, APP);
    assertThat(closed).as("connections of this test found").isGreaterThanOrEqualTo(2);
  }

  private static String rabbitmqctl() {
    for (String p : List.of("/usr/sbin/rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl", "/usr/local/sbin/rabbitmqctl",
      "/opt/homebrew/sbin/rabbitmqctl")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return "rabbitmqctl";
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
