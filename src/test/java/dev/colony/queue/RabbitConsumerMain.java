package dev.colony.queue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A child process for the dead-consumer test: consumes a channel of a {@link RabbitQueue} until it is killed. Each
 * handler takes {@code handlerMs}, then prints {@code HANDLED <id>} (flushed) and succeeds, so a SIGKILL lands with
 * handlers in flight and the parent knows what was handled. Arguments: AMQP URL, app, channel, concurrency,
 * handler ms. Prints {@code CONSUMING} once subscribed.
 */
public final class RabbitConsumerMain {

  public static void main(String[] args) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    int concurrency = Integer.parseInt(args[3]);
    long handlerMs = Long.parseLong(args[4]);
    RabbitQueue.start(vertx, args[0], args[1])
      .compose(q -> q.consume(args[2], m -> {
        Promise<Void> p = Promise.promise();
        vertx.setTimer(handlerMs, t -> {
          synchronized (System.out) {
            System.out.println("HANDLED " + m.id());
            System.out.flush();
          }
          p.complete();
        });
        return p.future();
      }, new ConsumeOptions(concurrency, 5_000, 3, 100, 1_000)))
      .onSuccess(s -> {
        System.out.println("CONSUMING");
        System.out.flush();
      })
      .onFailure(e -> {
        System.out.println("FAILED " + e);
        System.exit(1);
      });
    // The client's threads are daemons and the event loops start lazily: keep the JVM until it is killed.
    Thread.currentThread().join();
  }

  private RabbitConsumerMain() {
  }
}
