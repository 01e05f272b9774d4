package dev.colony.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link MessageQueue}, run against every adapter by a subclass ({@code MemoryQueueIT},
 * {@code RedisStreamQueueIT}, {@code RabbitQueueIT}). A subclass supplies a started queue; every test uses channel
 * names of its own ({@link #channel(String)}), so runs on a shared Redis or broker never see each other's messages.
 *
 * <p>What the adapters must agree on beyond the interface's Javadoc: the error of a handler timeout contains
 * {@code "timed out"}; a handler that fails with an exception has its message kept as the dead letter's error.
 * No test asserts a duration: waits are generous bounds, and the delay check is a lower bound (a delayed message is
 * never handled before its delay has passed since it was published).
 */
@ExtendWith(VertxExtension.class)
public abstract class MessageQueueContract {

  /** Upper bound on every wait: generous, the machine is shared. */
  protected static final long WAIT_S = 60;
  /** Fast retries so the retry tests do not wait on the 500 ms default. */
  protected static final ConsumeOptions FAST = new ConsumeOptions(1, 5_000, 3, 20, 200);

  /** A run prefix, so channels of concurrent runs never collide. */
  protected static final String RUN = Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36);

  protected Vertx vertx;
  private final List<MessageQueue> queues = new ArrayList<>();
  private final List<String> channels = new ArrayList<>();

  /** A new queue of the adapter on {@code vertx}, started and ready to publish and consume. */
  protected abstract MessageQueue newQueue(Vertx vertx) throws Exception;

  /** Deletes what the adapter keeps for {@code channel} in its backing service, after the test; nothing by default. */
  protected void deleteChannel(String channel) throws Exception {
  }

  @BeforeEach
  void setUpVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void closeQueues() throws Exception {
    for (MessageQueue q : queues) {
      q.close(5_000).await(WAIT_S, TimeUnit.SECONDS);
    }
    queues.clear();
    for (String c : channels) {
      deleteChannel(c);
    }
    channels.clear();
  }

  /** A started queue, closed after the test. */
  protected MessageQueue queue() throws Exception {
    MessageQueue q = newQueue(vertx);
    queues.add(q);
    return q;
  }

  /** A channel name unique to this run and test, cleaned up after the test. */
  protected String channel(String base) {
    String c = base + "-" + RUN + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 40, 36);
    channels.add(c);
    return c;
  }

  // ---- delivery

  @Test
  void everyPublishedMessageIsHandledAtLeastOnce() throws Exception {
    MessageQueue q = queue();
    String ch = channel("all");
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Map<String, Integer> payloadById = new ConcurrentHashMap<>();
    await(q.consume(ch, m -> {
      handled.add(m.id());
      payloadById.put(m.id(), m.payload().getInteger("n"));
      return Future.succeededFuture();
    }, FAST.withConcurrency(4)));

    int n = 300;
    List<Future<String>> published = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      published.add(q.publish(ch, new JsonObject().put("n", i)));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : published) {
      ids.add(await(f));
    }
    assertThat(Set.copyOf(ids)).as("message ids are unique").hasSize(n);

    waitUntil(() -> handled.containsAll(ids), "all " + n + " messages handled");
    for (int i = 0; i < n; i++) {
      assertThat(payloadById.get(ids.get(i))).as("payload of message " + i).isEqualTo(i);
    }
  }

  @Test
  void concurrencyNBoundsHandlersRunningAtOnce() throws Exception {
    MessageQueue q = queue();
    String ch = channel("conc");
    int n = 3;
    int messages = 40;
    for (int i = 0; i < messages; i++) {
      await(q.publish(ch, new JsonObject().put("i", i)));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    await(q.consume(ch, m -> {
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      vertx.setTimer(15, t -> {
        running.decrementAndGet();
        done.incrementAndGet();
        p.complete();
      });
      return p.future();
    }, FAST.withConcurrency(n)));

    waitUntil(() -> done.get() >= messages, "all messages handled");
    System.out.printf("[%s] concurrency %d: max in flight %d over %d messages%n", getClass().getSimpleName(), n,
      max.get(), messages);
    assertThat(max.get()).as("handlers running at once").isLessThanOrEqualTo(n).isGreaterThan(1);
  }

  @Test
  void aFailingMessageIsRetriedThenDeadLetteredWithItsErrorAndAttempts() throws Exception {
    MessageQueue q = queue();
    String ch = channel("dead");
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    await(q.consume(ch, m -> {
      attempts.add(m.attempt());
      return Future.failedFuture(new IllegalStateException("boom on attempt " + m.attempt()));
    }, FAST.withRetries(2, 20)));

    JsonObject payload = new JsonObject().put("order", 42).put("name", "poison");
    String id = await(q.publish(ch, payload));

    DeadLetter dead = awaitDeadLetter(q, ch, id);
    assertThat(dead.channel()).isEqualTo(ch);
    assertThat(dead.payload()).isEqualTo(payload);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.error()).contains("boom on attempt 3");
    assertThat(dead.failedAt()).isPositive();
    assertThat(attempts).containsExactly(1, 2, 3);
  }

  @Test
  void publishMaxRetriesOverridesTheConsumers() throws Exception {
    MessageQueue q = queue();
    String ch = channel("override");
    AtomicInteger calls = new AtomicInteger();
    await(q.consume(ch, m -> {
      calls.incrementAndGet();
      return Future.failedFuture("no");
    }, FAST.withRetries(5, 20)));

    String id = await(q.publish(ch, new JsonObject(), PublishOptions.DEFAULT.withMaxRetries(1)));

    DeadLetter dead = awaitDeadLetter(q, ch, id);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void aRequeuedDeadLetterIsHandledAgain() throws Exception {
    MessageQueue q = queue();
    String ch = channel("requeue");
    AtomicBoolean broken = new AtomicBoolean(true);
    List<Message> succeeded = new CopyOnWriteArrayList<>();
    await(q.consume(ch, m -> {
      if (broken.get()) {
        return Future.failedFuture("dependency down");
      }
      succeeded.add(m);
      return Future.succeededFuture();
    }, FAST.withRetries(0, 20)));

    String id = await(q.publish(ch, new JsonObject().put("k", "v")));
    awaitDeadLetter(q, ch, id);
    assertThat(await(q.requeue(ch, "no-such-message"))).as("requeue of an unknown id").isFalse();

    broken.set(false);
    assertThat(await(q.requeue(ch, id))).isTrue();

    waitUntil(() -> !succeeded.isEmpty(), "the requeued message handled");
    assertThat(succeeded.get(0).id()).isEqualTo(id);
    assertThat(succeeded.get(0).attempt()).as("a requeued message starts a fresh attempt count").isEqualTo(1);
    assertThat(succeeded.get(0).payload()).isEqualTo(new JsonObject().put("k", "v"));
    assertThat(await(q.deadLetters(ch, 10))).extracting(DeadLetter::id).doesNotContain(id);
    assertThat(await(q.requeue(ch, id))).as("a dead letter is requeued once").isFalse();
  }

  @Test
  void aPoisonMessageDoesNotStopTheOthers() throws Exception {
    MessageQueue q = queue();
    String ch = channel("poison");
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    String poison = await(q.publish(ch, new JsonObject().put("poison", true)));
    for (int i = 0; i < 20; i++) {
      await(q.publish(ch, new JsonObject().put("n", i)));
    }
    await(q.consume(ch, m -> {
      if (m.payload().getBoolean("poison", false)) {
        throw new IllegalStateException("poison pill");
      }
      handled.add(m.payload().getInteger("n"));
      return Future.succeededFuture();
    }, new ConsumeOptions(1, 5_000, 2, 200, 1_000)));

    waitUntil(() -> handled.size() == 20, "the 20 good messages handled");
    DeadLetter dead = awaitDeadLetter(q, ch, poison);
    assertThat(dead.error()).as("a handler that throws counts as failed").contains("poison pill");
  }

  @Test
  void aDelayedMessageWaitsItsDelayAndDoesNotHoldBackOthers() throws Exception {
    MessageQueue q = queue();
    String ch = channel("delay");
    Map<String, Long> handledAt = new ConcurrentHashMap<>();
    await(q.consume(ch, m -> {
      handledAt.put(m.payload().getString("kind"), System.currentTimeMillis());
      return Future.succeededFuture();
    }, FAST));

    long delay = 1_500;
    long before = System.currentTimeMillis();
    await(q.publish(ch, new JsonObject().put("kind", "delayed"), PublishOptions.delay(delay)));
    await(q.publish(ch, new JsonObject().put("kind", "now")));

    waitUntil(() -> handledAt.containsKey("delayed") && handledAt.containsKey("now"), "both messages handled");
    long waited = handledAt.get("delayed") - before;
    System.out.printf("[%s] delayed message (delay %d ms) handled %d ms after its publish%n",
      getClass().getSimpleName(), delay, waited);
    assertThat(waited).as("handled no earlier than its delay after publish").isGreaterThanOrEqualTo(delay);
    assertThat(handledAt.get("now")).as("the undelayed message is not held back").isLessThan(handledAt.get("delayed"));
  }

  @Test
  void aHandlerTimeoutIsEnforcedThenRetriedAndDeadLettered() throws Exception {
    MessageQueue q = queue();
    String ch = channel("timeout");
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    await(q.consume(ch, m -> {
      attempts.add(m.attempt());
      return Promise.promise().future(); // never completes
    }, new ConsumeOptions(1, 300, 1, 20, 200)));

    String id = await(q.publish(ch, new JsonObject().put("slow", true)));

    DeadLetter dead = awaitDeadLetter(q, ch, id);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(dead.error()).contains("timed out");
    assertThat(attempts).containsExactly(1, 2);
  }

  @Test
  void theHandlerSeesTheSameIdAndAnIncreasingAttemptNumber() throws Exception {
    MessageQueue q = queue();
    String ch = channel("attempt");
    List<Message> seen = new CopyOnWriteArrayList<>();
    await(q.consume(ch, m -> {
      seen.add(m);
      return m.attempt() < 3 ? Future.failedFuture("not yet") : Future.succeededFuture();
    }, FAST.withRetries(5, 20)));

    long before = System.currentTimeMillis();
    String id = await(q.publish(ch, new JsonObject().put("x", 1)));

    waitUntil(() -> seen.size() >= 3, "three deliveries");
    assertThat(seen).extracting(Message::attempt).startsWith(1, 2, 3);
    assertThat(seen).extracting(Message::id).containsOnly(id);
    assertThat(seen).extracting(Message::channel).containsOnly(ch);
    assertThat(seen.get(0).publishedAt()).isBetween(before - 5_000, System.currentTimeMillis());
    assertThat(await(q.deadLetters(ch, 10))).isEmpty();
  }

  @Test
  void anInvalidChannelNameIsRejectedWithAClearMessage() throws Exception {
    MessageQueue q = queue();
    for (String bad : List.of("", "has space", "-leading", "a/b", "x".repeat(101), "ünïcode")) {
      assertThatThrownBy(() -> q.publish(bad, new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid queue channel name");
      assertThatThrownBy(() -> q.consume(bad, m -> Future.succeededFuture(), FAST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + bad + "\"");
    }
    assertThatThrownBy(() -> q.publish(null, new JsonObject()))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
  }

  @Test
  void aNonPositiveConcurrencyIsRejected() {
    for (int bad : new int[] {0, -1}) {
      assertThatThrownBy(() -> FAST.withConcurrency(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency must be a positive integer, got " + bad);
    }
  }

  @Test
  void pauseStopsDeliveriesAndResumeRestartsThem() throws Exception {
    MessageQueue q = queue();
    String ch = channel("pause");
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    QueueSubscription sub = await(q.consume(ch, m -> {
      handled.add(m.payload().getInteger("n"));
      return Future.succeededFuture();
    }, FAST.withConcurrency(2)));
    await(q.publish(ch, new JsonObject().put("n", 0)));
    waitUntil(() -> handled.contains(0), "the first message handled");

    sub.pause();
    // A read already under way when pause() was called may still return; such messages must not be handled.
    for (int i = 1; i <= 10; i++) {
      await(q.publish(ch, new JsonObject().put("n", i)));
    }
    Thread.sleep(1_500);
    assertThat(handled).as("handled while paused").containsExactly(0);

    sub.resume();
    waitUntil(() -> handled.size() == 11, "all messages handled after resume");
    assertThat(sub.channel()).isEqualTo(ch);
  }

  @Test
  void publishingNeedsNoLocalConsumer() throws Exception {
    MessageQueue publisher = queue();
    String ch = channel("nolocal");
    String id = await(publisher.publish(ch, new JsonObject().put("early", true)));
    assertThat(id).isNotBlank();

    List<Message> got = new CopyOnWriteArrayList<>();
    await(publisher.consume(ch, m -> {
      got.add(m);
      return Future.succeededFuture();
    }, FAST));
    waitUntil(() -> !got.isEmpty(), "the message published before any consumer existed handled");
    assertThat(got.get(0).id()).isEqualTo(id);
    assertThat(got.get(0).payload().getBoolean("early")).isTrue();
  }

  @Test
  void closingASubscriptionStopsItsDeliveries() throws Exception {
    MessageQueue q = queue();
    String ch = channel("unsub");
    AtomicInteger first = new AtomicInteger();
    QueueSubscription sub = await(q.consume(ch, m -> {
      first.incrementAndGet();
      return Future.succeededFuture();
    }, FAST));
    await(q.publish(ch, new JsonObject()));
    waitUntil(() -> first.get() == 1, "the first message handled");
    await(sub.close());

    String id = await(q.publish(ch, new JsonObject().put("after", true)));
    List<Message> second = new CopyOnWriteArrayList<>();
    await(q.consume(ch, m -> {
      second.add(m);
      return Future.succeededFuture();
    }, FAST));
    waitUntil(() -> !second.isEmpty(), "the message published after close handled by the new subscription");
    assertThat(second.get(0).id()).isEqualTo(id);
    assertThat(first.get()).as("the closed subscription got nothing more").isEqualTo(1);
  }

  // ---- helpers

  protected static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  /** Polls {@code q}'s dead letters of {@code channel} until {@code id} is among them. */
  protected static DeadLetter awaitDeadLetter(MessageQueue q, String channel, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (System.nanoTime() < deadline) {
      for (DeadLetter d : await(q.deadLetters(channel, 100))) {
        if (d.id().equals(id)) {
          return d;
        }
      }
      Thread.sleep(50);
    }
    throw new TimeoutException("message " + id + " of " + channel + " was not dead-lettered within " + WAIT_S + " s");
  }

  protected static void waitUntil(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("not within " + WAIT_S + " s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A handler that records each message and succeeds. */
  protected static Function<Message, Future<?>> recording(List<Message> into) {
    return m -> {
      into.add(m);
      return Future.succeededFuture();
    };
  }
}
