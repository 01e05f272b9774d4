package dev.colony.lock;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against {@link LocalLocks}; an IT only because the mutual-exclusion counter lives in Redis. */
class LocalLocksIT extends LocksContract {

  @Override
  Locks newClient(Vertx vertx) {
    return LocalLocks.create(vertx);
  }

  @Override
  void deleteBehindHoldersBack(String name) {
    LocalLocks.evict(name);
  }

  @Override
  List<String> storeKeys(String name) {
    return List.of();
  }

  @Test
  void releasedEntriesArePruned() throws Exception {
    Locks locks = client();
    int before = LocalLocks.entries();
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      leases.add(await(locks.acquire(newName("prune"), ttl(5000, 0))));
    }
    assertThat(LocalLocks.entries()).isEqualTo(before + 100);

    for (Lease lease : leases) {
      await(lease.release());
    }

    assertThat(LocalLocks.entries()).isEqualTo(before);
  }

  @Test
  void expiredEntriesAreSwept() throws Exception {
    int before = LocalLocks.entries();
    for (int i = 0; i < 20; i++) {
      // Taken without a lease (no watchdog, no release): only the sweep can remove these entries.
      LocalLocks.create(vertx).take(newName("sweep"), "gone", 50).await();
    }
    Thread.sleep(1100);

    await(client().tryAcquire(newName("trigger"), Duration.ofMillis(50)));

    assertThat(LocalLocks.entries()).isLessThanOrEqualTo(before + 1);
  }
}
