package dev.colony.queue;

import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
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

  static RedisQueueOptions options(String url) {
    return RedisQueueOptions.of(url, APP, "c" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 30, 36))
      .withClaim(1_000, 500);
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
}
