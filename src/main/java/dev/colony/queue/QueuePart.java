package dev.colony.queue;

import dev.colony.Node;
import dev.colony.Part;
import dev.colony.config.ColonyConfig;
import dev.colony.config.ServiceUrl;
import dev.colony.ids.Ids;
import dev.colony.ids.IdsPart;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's message queue, as {@code QUEUE_ADAPTER} selects: {@link MemoryQueue} saving under
 * {@code <STORAGE_PATH>/queue}, {@link RedisStreamQueue} on {@code QUEUE_ADAPTER_REDIS_URL} (consumer name = node
 * id), or the RabbitMQ queue. Message ids are the node's Snowflake ids when the ids part runs (random unique ids
 * while it cannot issue). A connected adapter registers the {@code queue} readiness check. Stopping closes the
 * queue within {@code SHUTDOWN_TIMEOUT_MS}: fetching stops, running handlers may finish, the rest is redelivered
 * (or, for memory, saved).
 */
public final class QueuePart implements Part {

  private static final Logger log = LoggerFactory.getLogger(QueuePart.class);
  private static final long CHECK_TIMEOUT_MS = 2000;

  private final ColonyConfig config;
  private volatile MessageQueue queue;

  public QueuePart(ColonyConfig config) {
    this.config = config;
  }

  /** The queue, for the rest of the node; null before {@link #start(Node)} has succeeded. */
  public MessageQueue queue() {
    return queue;
  }

  /**
   * Consumes {@code topic} if {@code WORKER_MODE} says this node does; otherwise returns a subscription that never
   * delivers (pause, resume and close do nothing), so callers need not check the mode themselves.
   */
  public Future<QueueSubscription> consumeIfWorker(String topic, Function<Message, Future<?>> handler,
                                                   ConsumeOptions options) {
    Channels.check(topic);
    if (!config.workerMode().consumes(topic)) {
      log.info("Not consuming queue topic {}: WORKER_MODE does not include it", topic);
      return Future.succeededFuture(new IdleSubscription(topic));
    }
    return queue.consume(topic, handler, options);
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String adapter() {
    return config.queue().adapter();
  }

  @Override
  public Future<?> start(Node node) {
    Supplier<String> ids = node.part(IdsPart.class).map(p -> idSource(p.ids())).orElse(Handlers::randomId);
    Future<MessageQueue> started = switch (adapter()) {
      case "redis" -> RedisStreamQueue.create(node.vertx(), RedisQueueOptions.of(config.queue().redisUrl().value(),
        config.appName(), node.nodeId()), ids).start().map(q -> q);
      case "rabbitmq" -> rabbit(node, ids);
      default -> MemoryQueue.create(node.vertx(), config.storagePath().resolve("queue"), ids).start().map(q -> q);
    };
    return started.onSuccess(q -> {
      queue = q;
      if (!"memory".equals(adapter())) {
        node.readiness().register("queue", CHECK_TIMEOUT_MS, p -> q.ping()
          .onSuccess(v -> p.complete(Status.OK()))
          .onFailure(e -> p.complete(Status.KO(new JsonObject().put("adapter", adapter())
            .put("error", e.getMessage() == null ? e.toString() : e.getMessage())))));
      }
    });
  }

  /** The RabbitMQ queue at {@code QUEUE_ADAPTER_RABBITMQ_URL}. */
  private Future<MessageQueue> rabbit(Node node, Supplier<String> ids) {
    ServiceUrl url = config.queue().rabbitmqUrl();
    return RabbitQueue.start(node.vertx(), url.value(), config.appName(), ids).<MessageQueue>map(q -> q)
      .recover(e -> Future.failedFuture(new IllegalStateException("queue: cannot connect to RabbitMQ at "
        + url.redacted() + " (QUEUE_ADAPTER_RABBITMQ_URL): " + ServiceUrl.redact(String.valueOf(e)), e)));
  }

  @Override
  public Future<?> stop() {
    MessageQueue q = queue;
    return q == null ? Future.succeededFuture() : q.close(config.shutdown().timeoutMs());
  }

  @Override
  public void routes(Router router, Handler<RoutingContext> body) {
    QueueRoutes.mount(router, body, this::queue);
  }

  @Override
  public void status(JsonObject status) {
    JsonObject s = new JsonObject().put("adapter", adapter());
    if (queue instanceof RedisStreamQueue redis) {
      s.put("channels", redis.stats());
    }
    status.put("queue", s);
  }

  /** Snowflake ids from the node's generator; a random unique id while it cannot issue (lease being renewed). */
  static Supplier<String> idSource(Ids ids) {
    return () -> {
      try {
        return Long.toString(ids.next());
      } catch (RuntimeException e) {
        return Handlers.randomId();
      }
    };
  }

  private record IdleSubscription(String channel) implements QueueSubscription {
    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
