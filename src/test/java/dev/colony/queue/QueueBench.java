package dev.colony.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publish-plus-consume throughput of {@link RedisStreamQueue}: one queue publishes {@code n} messages (after an unmeasured
 * warm-up round) of
 * {@code bytes} bytes of JSON, at most {@code window} unconfirmed at a time, while a second queue (its own Vert.x
 * and connections, as on another node) consumes them with {@code concurrency} handlers that succeed at once. The
 * time runs from the first publish to the last message handled. Arguments: Redis URL, n, bytes, window,
 * concurrency. Prints {@code queue_msgs_per_sec=<n>} last; deletes its keys.
 */
public final class QueueBench {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    int window = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    String app = "bench" + Long.toString(System.nanoTime() % 1_000_000, 36);
    String channel = "bench";
    Vertx pubVertx = Vertx.vertx();
    Vertx subVertx = Vertx.vertx();
    RedisStreamQueue publisher = RedisStreamQueue.create(pubVertx, RedisQueueOptions.of(url, app, "pub"))
      .start().await(10, TimeUnit.SECONDS);
    RedisStreamQueue consumer = RedisStreamQueue.create(subVertx, RedisQueueOptions.of(url, app, "sub"))
      .start().await(10, TimeUnit.SECONDS);
    JsonObject payload = payload(bytes);
    run(publisher, consumer, "warmup", Math.min(n, 30_000), payload, window, concurrency);
    double rate = run(publisher, consumer, channel, n, payload, window, concurrency);

    consumer.close(5_000).await(30, TimeUnit.SECONDS);
    publisher.close(5_000).await(30, TimeUnit.SECONDS);
    Redis admin = Redis.createClient(pubVertx, url);
    for (String c : List.of("warmup", channel)) {
      String key = app + ":queue:" + c;
      RedisAPI.api(admin).del(List.of(key, key + ":delayed", key + ":dead", key + ":dead-index"))
        .await(10, TimeUnit.SECONDS);
    }
    admin.close();
    pubVertx.close().await(10, TimeUnit.SECONDS);
    subVertx.close().await(10, TimeUnit.SECONDS);
    System.out.printf("queue_msgs_per_sec=%.0f%n", rate);
  }

  private static double run(RedisStreamQueue publisher, RedisStreamQueue consumer, String channel, int n,
                            JsonObject payload, int window, int concurrency) throws Exception {
    System.out.printf("message: %d bytes of JSON; %d messages, %d publishes in flight, consumer concurrency %d%n",
      payload.encode().length(), n, window, concurrency);

    CountDownLatch handledAll = new CountDownLatch(n);
    QueueSubscription sub = consumer.consume(channel, m -> {
      handledAll.countDown();
      return Future.succeededFuture();
    }, new ConsumeOptions(concurrency, 15_000, 3, 500, 60_000)).await(10, TimeUnit.SECONDS);

    Semaphore inFlight = new Semaphore(window);
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      publisher.publish(channel, payload).onComplete(ar -> {
        if (ar.failed()) {
          failed.incrementAndGet();
          handledAll.countDown();
        }
        inFlight.release();
      });
    }
    long published = System.nanoTime();
    if (!handledAll.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not all handled within 300 s: " + handledAll.getCount() + " left");
    }
    long end = System.nanoTime();
    double secs = (end - start) / 1e9;
    System.out.printf("%s: published in %.2f s, all handled in %.2f s (%.0f msgs/s); failed publishes %d; consumer"
        + " %s%n", channel, (published - start) / 1e9, secs, (n - failed.get()) / secs, failed.get(),
      consumer.stats().getJsonObject(channel));
    sub.close().await(30, TimeUnit.SECONDS);
    return (n - failed.get()) / secs;
  }

  /** A JSON object whose encoding is {@code bytes} long. */
  static JsonObject payload(int bytes) {
    JsonObject p = new JsonObject().put("type", "bench").put("data", "");
    int pad = Math.max(0, bytes - p.encode().length());
    return p.put("data", "x".repeat(pad));
  }

  private QueueBench() {
  }
}
