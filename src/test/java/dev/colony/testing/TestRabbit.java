package dev.colony.testing;

import org.testcontainers.containers.GenericContainer;

/** The RabbitMQ URL for tests: {@code TEST_RABBITMQ_URL}, else localhost:5672 (guest), else a container. */
public final class TestRabbit {

  private static String url;

  private TestRabbit() {
  }

  public static synchronized String url() {
    if (url == null) {
      url = TestServices.url("RabbitMQ", "TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672", 5672,
        "rabbitmq-server -detached", () -> {
          GenericContainer<?> c = new GenericContainer<>("rabbitmq:3-management").withExposedPorts(5672);
          c.start();
          return "amqp://guest:guest@" + c.getHost() + ":" + c.getMappedPort(5672);
        });
    }
    return url;
  }
}
