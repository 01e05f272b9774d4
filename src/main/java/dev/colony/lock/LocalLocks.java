package dev.colony.lock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Locks inside one JVM. The table is the JVM's, not the instance's: every {@code LocalLocks}, whatever its Vert.x
 * instance, and so every verticle instance, excludes every other. Entries exist only while held: a release removes
 * its entry, and expired ones are swept at most once a second.
 *
 * <p>Fences come from one JVM-wide counter started at the wall clock in microseconds, so they strictly increase
 * per name within the JVM and, unless the clock goes back, across restarts of the node.
 */
public final class LocalLocks extends LeasedLocks {

  private record Holder(String owner, long expiresAt) {
  }

  private static final Map<String, Holder> HOLDERS = new HashMap<>();
  private static final Notices NOTICES = new Notices();
  private static long fence = System.currentTimeMillis() * 1000;
  private static long nextSweep;

  private LocalLocks(Vertx vertx) {
    super(vertx);
  }

  /** Locks on the JVM's table; {@code vertx} runs this instance's timers. */
  public static LocalLocks create(Vertx vertx) {
    return new LocalLocks(vertx);
  }

  @Override
  Future<Attempt> take(String name, String owner, long ttlMs) {
    long now = System.nanoTime();
    synchronized (HOLDERS) {
      sweep(now);
      Holder h = HOLDERS.get(name);
      if (h != null && h.expiresAt - now > 0) {
        return Future.succeededFuture(new Attempt(0, TimeUnit.NANOSECONDS.toMillis(h.expiresAt - now)));
      }
      HOLDERS.put(name, new Holder(owner, now + TimeUnit.MILLISECONDS.toNanos(ttlMs)));
      return Future.succeededFuture(new Attempt(++fence, -1));
    }
  }

  @Override
  Future<Boolean> renew(String name, String owner, long ttlMs) {
    long now = System.nanoTime();
    synchronized (HOLDERS) {
      Holder h = HOLDERS.get(name);
      boolean ours = h != null && h.owner.equals(owner) && h.expiresAt - now > 0;
      if (ours) {
        HOLDERS.put(name, new Holder(owner, now + TimeUnit.MILLISECONDS.toNanos(ttlMs)));
      }
      return Future.succeededFuture(ours);
    }
  }

  @Override
  Future<Boolean> drop(String name, String owner) {
    boolean ours;
    synchronized (HOLDERS) {
      Holder h = HOLDERS.get(name);
      ours = h != null && h.owner.equals(owner);
      if (ours) {
        HOLDERS.remove(name);
      }
    }
    if (ours) {
      NOTICES.fire(name);
    }
    return Future.succeededFuture(ours);
  }

  @Override
  Notices.Waiter watch(String name) {
    return NOTICES.watch(vertx, name);
  }

  @Override
  Future<Void> closeStore() {
    return Future.succeededFuture();
  }

  /** Deletes the entry whoever holds it, as an operator deleting a Redis key would; for tests. */
  static void evict(String name) {
    synchronized (HOLDERS) {
      HOLDERS.remove(name);
    }
    NOTICES.fire(name);
  }

  /** How many names have an entry (held or expired but not yet swept); for tests. */
  static int entries() {
    synchronized (HOLDERS) {
      return HOLDERS.size();
    }
  }

  // Called holding HOLDERS.
  private static void sweep(long now) {
    if (now - nextSweep < 0) {
      return;
    }
    nextSweep = now + TimeUnit.SECONDS.toNanos(1);
    HOLDERS.values().removeIf(h -> h.expiresAt - now <= 0);
  }
}
