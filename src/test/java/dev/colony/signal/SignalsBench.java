package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (bench/signals.sh): two nodes in one JVM (separate Vert.x instances and bridges) on a loopback Redis.
 * 1. latency A to B at a fixed rate; 2. throughput A to B, publishing with a bounded window; 3. the same volume
 * through a raw XADD-then-XREAD loop with the same client. Prints the figures, last line
 * {@code ratio=<signals/raw> p99_ms=<p99>}. Args: redisUrl [rate] [latencySeconds] [throughputCount].
 */
public final class SignalsBench {

  private static final int WINDOW = 2000;

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int count = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    String app = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    RedisSignalsOptions options = RedisSignalsOptions.of(url, app, 1_000_000).withBufferCapacity(WINDOW * 2);
    TestNode a = TestNode.start("bench-a", options);
    TestNode b = TestNode.start("bench-b", options);
    try {
      double p99 = latency(a, b, rate, seconds);
      double signals = throughput(a, b, count);
      double raw = raw(url, app + ":raw", count);
      System.out.printf("throughput: signals=%.0f/s raw XADD+XREAD=%.0f/s (%d entries each)%n", signals, raw, count);
      try (Raw r = new Raw(url)) {
        r.del(app + ":signals", app + ":raw");
      }
      System.out.printf("ratio=%.2f p99_ms=%.2f%n", signals / raw, p99);
    } finally {
      b.close();
      a.close();
    }
  }

  /** Publishes {@code rate}/s for 1 s of warm-up plus {@code seconds}; returns p99 in ms of the measured part. */
  private static double latency(TestNode a, TestNode b, int rate, int seconds) throws Exception {
    int warm = rate;
    int total = warm + rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger got = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    b.signals.subscribe("lat", s -> {
      int i = s.message().getInteger("i");
      latencies[i] = System.nanoTime() - s.message().getLong("t");
      if (got.incrementAndGet() == total) {
        all.tryComplete();
      }
    }).ready().await();
    long start = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    a.vertx.setPeriodic(1, id -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
      while (sent.get() < due) {
        int i = sent.getAndIncrement();
        a.signals.publish("lat", new JsonObject().put("i", i).put("t", System.nanoTime()));
      }
      if (sent.get() >= total) {
        a.vertx.cancelTimer(id);
      }
    });
    all.future().await(seconds + 30L, TimeUnit.SECONDS);
    long[] measured = Arrays.copyOfRange(latencies, warm, total);
    Arrays.sort(measured);
    double p50 = measured[measured.length / 2] / 1e6;
    double p99 = measured[(int) (measured.length * 0.99)] / 1e6;
    double max = measured[measured.length - 1] / 1e6;
    System.out.printf("latency at %d signals/s over %d s (%d signals, after 1 s warm-up): p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
      rate, seconds, measured.length, p50, p99, max);
    return p99;
  }

  /** Publishes {@code count} signals as fast as a window of {@link #WINDOW} unacknowledged ones allows. */
  private static double throughput(TestNode a, TestNode b, int count) throws Exception {
    AtomicInteger got = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    b.signals.subscribe("tp", s -> {
      if (got.incrementAndGet() == count) {
        all.tryComplete();
      }
    }).ready().await();
    long start = System.nanoTime();
    a.vertx.runOnContext(v -> new Runnable() {
      int sent;
      int outstanding;

      @Override
      public void run() {
        while (sent < count && outstanding < WINDOW) {
          outstanding++;
          a.signals.publish("tp", new JsonObject().put("i", sent++)).onComplete(ar -> {
            outstanding--;
            run();
          });
        }
      }
    }.run());
    all.future().await(120, TimeUnit.SECONDS);
    double perSecond = count / ((System.nanoTime() - start) / 1e9);
    System.out.printf("signals A->B: %d in %.2f s%n", count, count / perSecond);
    return perSecond;
  }

  /** The same volume through raw pipelined XADDs (same window) and an XREAD BLOCK reader, same client. */
  private static double raw(String url, String key, int count) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis writerClient = Redis.createClient(vertx, url);
      Redis readerClient = Redis.createClient(vertx, url);
      RedisConnection writer = writerClient.connect().await();
      RedisConnection reader = readerClient.connect().await();
      String payload = new Envelope("bench-a", true, false, new JsonObject().put("i", 0), "tp",
        System.currentTimeMillis(), 1).toJson().encode();
      AtomicLong read = new AtomicLong();
      Promise<Void> all = Promise.promise();
      long start = System.nanoTime();
      vertx.runOnContext(v -> {
        readLoop(reader, key, "$", read, count, all);
        new Runnable() {
          int sent;
          int outstanding;

          @Override
          public void run() {
            while (sent < count && outstanding < WINDOW) {
              outstanding++;
              sent++;
              writer.send(Request.cmd(Command.XADD).arg(key).arg("MAXLEN").arg("~").arg(1_000_000).arg("*")
                .arg("envelope").arg(payload)).onComplete(ar -> {
                outstanding--;
                run();
              });
            }
          }
        }.run();
      });
      all.future().await(120, TimeUnit.SECONDS);
      double perSecond = count / ((System.nanoTime() - start) / 1e9);
      System.out.printf("raw XADD->XREAD: %d in %.2f s%n", count, count / perSecond);
      writerClient.close();
      readerClient.close();
      return perSecond;
    } finally {
      vertx.close().await();
    }
  }

  private static void readLoop(RedisConnection c, String key, String from, AtomicLong read, int count,
                               Promise<Void> all) {
    c.send(Request.cmd(Command.XREAD).arg("COUNT").arg(500).arg("BLOCK").arg(2000).arg("STREAMS").arg(key).arg(from))
      .onSuccess(r -> {
        String last = from;
        if (r != null) {
          for (Response stream : r) {
            for (Response entry : stream.get(1)) {
              last = entry.get(0).toString();
              // Parse as the bridge does, so the comparison is fair.
              new JsonObject(entry.get(1).get(1).toString());
              read.incrementAndGet();
            }
          }
        }
        if (read.get() >= count) {
          all.tryComplete();
        } else {
          readLoop(c, key, last, read, count, all);
        }
      })
      .onFailure(all::tryFail);
  }

  private static final class Raw implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;

    Raw(String url) {
      redis = Redis.createClient(vertx, url);
    }

    void del(String... keys) {
      Request r = Request.cmd(Command.DEL);
      for (String k : keys) {
        r.arg(k);
      }
      redis.send(r).await();
    }

    @Override
    public void close() {
      redis.close();
      vertx.close().await();
    }
  }

  private SignalsBench() {
  }
}
