package dev.colony.queue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.util.List;

/**
 * A child process for the dead-consumer test: consumes a channel of a {@link RedisStreamQueue} until it is killed.
 * Each handler takes {@code handlerMs}, then adds the message id to the Redis set {@code <handledKey>} and
 * succeeds, so a SIGKILL lands with handlers in flight. Arguments: Redis URL, app, consumer name, channel,
 * handled-set key, concurrency, handler ms. Prints {@code CONSUMING} once subscribed.
 */
public final class QueueConsumerMain {

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString(args[0])
      .setMaxPoolWaiting(1_000)));
    String handledKey = args[4];
    int concurrency = Integer.parseInt(args[5]);
    long handlerMs = Long.parseLong(args[6]);
    RedisStreamQueue queue = RedisStreamQueue.create(vertx, RedisQueueOptions.of(args[0], args[1], args[2])
      .withCallTimeout(10_000));
    queue.start()
      .compose(q -> q.consume(args[3], m -> {
        Promise<Void> p = Promise.promise();
        vertx.setTimer(handlerMs, t -> p.complete());
        return p.future().compose(v -> redis.sadd(List.of(handledKey, m.id())));
      }, new ConsumeOptions(concurrency, 2_000, 3, 100, 1_000)))
      .onSuccess(s -> {
        System.out.println("CONSUMING");
        System.out.flush();
      })
      .onFailure(e -> {
        System.out.println("FAILED " + e);
        System.exit(1);
      });
  }
}
