package dev.colony.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded GET load: {@code clients} threads, each sending one request at a time (so at most {@code clients}
 * are in flight), until {@link #stop()}, {@code maxRequests} in all, or {@code maxDuration}, whichever comes first.
 * A request fails when it gets no answer or an answer other than 200; failures are kept with their time.
 */
public final class Load {

  /** What a load did. */
  public record Result(long ok, long failed, List<String> failures) {
  }

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads;
  private final long maxRequests;
  private final long endNanos;
  private volatile boolean stopped;

  private Load(List<String> urls, int clients, long maxRequests, Duration maxDuration) {
    this.maxRequests = maxRequests;
    this.endNanos = System.nanoTime() + maxDuration.toNanos();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
    threads = java.util.stream.IntStream.range(0, clients).mapToObj(i -> new Thread(() -> run(http, urls, i),
      "load-" + i)).toList();
  }

  /** Starts the load over {@code urls}, round-robin per client. */
  public static Load start(List<String> urls, int clients, long maxRequests, Duration maxDuration) {
    Load load = new Load(urls, clients, maxRequests, maxDuration);
    load.threads.forEach(Thread::start);
    return load;
  }

  private void run(HttpClient http, List<String> urls, int offset) {
    int i = offset;
    while (!stopped && System.nanoTime() - endNanos < 0 && sent.incrementAndGet() <= maxRequests) {
      String url = urls.get(i++ % urls.size());
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
          .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          ok.incrementAndGet();
        } else {
          fail(url + " -> " + r.statusCode() + " " + r.body());
        }
      } catch (Exception e) {
        fail(url + " -> " + e);
      }
    }
  }

  private void fail(String what) {
    failed.incrementAndGet();
    if (failures.size() < 100) {
      failures.add(java.time.Instant.now() + " " + what);
    }
  }

  /** Requests answered 200 so far. */
  public long ok() {
    return ok.get();
  }

  /** Stops the load, waits for the requests in flight, and returns the counts. */
  public Result stop() throws InterruptedException {
    stopped = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    return new Result(ok.get(), failed.get(), List.copyOf(failures));
  }

  /** Waits for the load to end by its own bounds, and returns the counts. */
  public Result awaitEnd() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    return new Result(ok.get(), failed.get(), List.copyOf(failures));
  }

  /** Waits until {@code n} more requests have been answered 200 (or the load ended). */
  public void awaitMore(long n) throws InterruptedException {
    long target = ok.get() + n;
    while (ok.get() < target && threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(20);
    }
  }
}
