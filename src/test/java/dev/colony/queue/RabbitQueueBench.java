package dev.colony.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publish-plus-consume throughput of {@link RabbitQueue} (persistent messages, publisher confirms, quorum queue):
 * one queue publishes {@code n} messages (after an unmeasured warm-up round) of {@code bytes} bytes of JSON, at most
 * {@code window} unconfirmed at a time, while a second queue (its own Vert.x and connection, as on another node)
 * consumes them with {@code concurrency} handlers (= prefetch) that succeed at once. The time runs from the first
 * publish to the last message handled. Arguments: AMQP URL, n, bytes, window, concurrency. Prints
 * {@code queue_msgs_per_sec=<n>} last; deletes its queues.
 */
public final class RabbitQueueBench {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    int window = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    String app = "bench" + UUID.randomUUID().toString().substring(0, 8);
    Vertx pubVertx = Vertx.vertx();
    Vertx subVertx = Vertx.vertx();
    RabbitQueue publisher = RabbitQueue.start(pubVertx, url, app).await(30, TimeUnit.SECONDS);
    RabbitQueue consumer = RabbitQueue.start(subVertx, url, app).await(30, TimeUnit.SECONDS);
    JsonObject payload = QueueBench.payload(bytes);
    double rate;
    try {
      run(pubVertx, publisher, consumer, "warmup", Math.min(n, 20_000), payload, window, concurrency);
      rate = run(pubVertx, publisher, consumer, "bench", n, payload, window, concurrency);
    } finally {
      for (String c : new String[] {"warmup", "bench"}) {
        publisher.deleteChannel(c).await(30, TimeUnit.SECONDS);
      }
      consumer.close(5_000).await(30, TimeUnit.SECONDS);
      publisher.close(5_000).await(30, TimeUnit.SECONDS);
      pubVertx.close().await(10, TimeUnit.SECONDS);
      subVertx.close().await(10, TimeUnit.SECONDS);
    }
    System.out.printf("queue_msgs_per_sec=%.0f%n", rate);
  }

  private static double run(Vertx vertx, RabbitQueue publisher, RabbitQueue consumer, String channel, int n, JsonObject payload,
                            int window, int concurrency) throws Exception {
    System.out.printf("message: %d bytes of JSON; %d messages, %d publishes in flight, consumer concurrency %d%n",
      payload.encode().length(), n, window, concurrency);
    CountDownLatch handledAll = new CountDownLatch(n);
    QueueSubscription sub = consumer.consume(channel, m -> {
      handledAll.countDown();
      return Future.succeededFuture();
    }, new ConsumeOptions(concurrency, 15_000, 3, 500, 60_000)).await(30, TimeUnit.SECONDS);

    // Publishes from an event loop, as a node does: up to window unconfirmed, the next one sent as one confirms.
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch allSent = new CountDownLatch(1);
    long start = System.nanoTime();
    vertx.runOnContext(v -> new Object() {
      int sent;

      void fill(int slots) {
        for (int i = 0; i < slots && sent < n; i++) {
          sent++;
          publisher.publish(channel, payload).onComplete(ar -> {
            if (ar.failed()) {
              failed.incrementAndGet();
              handledAll.countDown();
            }
            fill(1);
          });
        }
        if (sent == n) {
          allSent.countDown();
        }
      }
    }.fill(window));
    allSent.await(300, TimeUnit.SECONDS);
    long published = System.nanoTime();
    if (!handledAll.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not all handled within 300 s: " + handledAll.getCount() + " left");
    }
    long end = System.nanoTime();
    double secs = (end - start) / 1e9;
    System.out.printf("%s: published in %.2f s, all handled in %.2f s (%.0f msgs/s); failed publishes %d%n", channel,
      (published - start) / 1e9, secs, (n - failed.get()) / secs, failed.get());
    sub.close().await(30, TimeUnit.SECONDS);
    return (n - failed.get()) / secs;
  }

  private RabbitQueueBench() {
  }
}
