package dev.colony.testing;

import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds a backing service for a test: the environment variable if set, else the default localhost port if it
 * answers, else a Testcontainers container if a Docker engine answers; otherwise fails, naming what to start.
 * A test that needs a service never skips silently.
 */
final class TestServices {

  private TestServices() {
  }

  static String url(String service, String envVar, String localUrl, int localPort, String startHint,
                    Supplier<String> container) {
    String fromEnv = System.getenv(envVar);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (answers("127.0.0.1", localPort)) {
      return localUrl;
    }
    if (dockerAvailable()) {
      return container.get();
    }
    throw new IllegalStateException(service + " is needed by this test but none was found: set " + envVar
      + ", or start it on localhost:" + localPort + " (" + startHint + "), or run a Docker engine for Testcontainers");
  }

  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
  }
}
