package dev.colony.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own on a spare loopback port, which the test may stop, kill and restart
 * (never the shared one). Needs {@code redis-server} on the PATH. Close it in {@code @AfterAll}/{@code @AfterEach}.
 */
public final class PrivateRedis implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final boolean appendOnly;
  private Process process;

  private PrivateRedis(int port, Path dir, boolean appendOnly) {
    this.port = port;
    this.dir = dir;
    this.appendOnly = appendOnly;
  }

  /** Starts one without persistence. */
  public static PrivateRedis start() {
    return start(false);
  }

  /** Starts one; with {@code appendOnly} it keeps its data across {@link #restart()} (AOF, fsync always). */
  public static PrivateRedis start(boolean appendOnly) {
    try {
      PrivateRedis r = new PrivateRedis(freePort(), Files.createTempDirectory("colony-redis"), appendOnly);
      r.launch();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private redis-server (is it installed?)", e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server abruptly (SIGKILL); its clients see the connection drop. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Kills the server and starts it again on the same port. */
  public void restart() {
    kill();
    launch();
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    kill();
  }

  /** Starts the server if it is not running; returns once it accepts connections. */
  public void launch() {
    if (running()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
      "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"));
    cmd.addAll(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of("--appendonly", "no"));
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server: is it installed?", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!TestServices.answers("127.0.0.1", port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("private redis-server on port " + port + " did not start; see "
          + dir.resolve("redis.log"));
      }
      sleep(20);
    }
  }

  private void waitFor() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
