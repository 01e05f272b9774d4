package dev.colony.queue;

import dev.colony.testing.TestRabbit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/** The contract against {@link RabbitQueue} on the test broker, plus what only RabbitMQ shows. */
class RabbitQueueIT extends MessageQueueContract {

  static final String APP = "tq" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 30, 36);

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
}
