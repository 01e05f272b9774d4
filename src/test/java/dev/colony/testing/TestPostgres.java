package dev.colony.testing;

import org.testcontainers.containers.GenericContainer;

/**
 * The PostgreSQL URL for tests ({@code postgresql://user[:password]@host:port/db}): {@code TEST_POSTGRES_URL},
 * else localhost:5432 as user postgres (trust auth), else a container.
 */
public final class TestPostgres {

  private static String url;

  private TestPostgres() {
  }

  public static synchronized String url() {
    if (url == null) {
      url = TestServices.url("PostgreSQL", "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres", 5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", () -> {
          GenericContainer<?> c = new GenericContainer<>("postgres:16")
            .withEnv("POSTGRES_PASSWORD", "postgres").withExposedPorts(5432);
          c.start();
          return "postgresql://postgres:postgres@" + c.getHost() + ":" + c.getMappedPort(5432) + "/postgres";
        });
    }
    return url;
  }
}
