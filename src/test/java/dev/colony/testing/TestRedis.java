package dev.colony.testing;

import org.testcontainers.containers.GenericContainer;

/** The Redis URL for tests: {@code TEST_REDIS_URL}, else localhost:6379, else a container. */
public final class TestRedis {

  private static String url;

  private TestRedis() {
  }

  public static synchronized String url() {
    if (url == null) {
      url = TestServices.url("Redis", "TEST_REDIS_URL", "redis://127.0.0.1:6379", 6379,
        "redis-server --daemonize yes --port 6379 --save '' --appendonly no", () -> {
          GenericContainer<?> c = new GenericContainer<>("redis:7").withExposedPorts(6379);
          c.start();
          return "redis://" + c.getHost() + ":" + c.getMappedPort(6379);
        });
    }
    return url;
  }
}
