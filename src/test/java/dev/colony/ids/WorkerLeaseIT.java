package dev.colony.ids;

import dev.colony.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker-id leases against the real Redis, each test under its own app prefix. */
class WorkerLeaseIT {

  private static final List<Integer> ALL = IntStream.rangeClosed(0, 31).boxed().toList();

  private final Vertx vertx = Vertx.vertx();
  private final String app = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Redis> clients = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    RedisAPI redis = client();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      keys.addAll(List.of(WorkerLease.key(app, i), WorkerLease.key(app, i) + ":last", WorkerLease.key(app, i) + ":renewed"));
    }
    redis.del(keys).await(5, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A separate client (its own connections) per call, as separate nodes would have. */
  private RedisAPI client() {
    Redis c = Redis.createClient(vertx, TestRedis.url());
    clients.add(c);
    return RedisAPI.api(c);
  }

  @Test
  void allocatorsOnSeparateClientsGetDistinctSlots() throws Exception {
    List<io.vertx.core.Future<WorkerLease>> leases = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      leases.add(WorkerLease.acquire(client(), app, ALL, 10_000, -1));
    }
    Set<Integer> slots = new TreeSet<>();
    for (var f : leases) {
      slots.add(f.await(10, TimeUnit.SECONDS).slot());
    }
    assertThat(slots).hasSize(8);
  }

  @Test
  void thirtyThirdAllocatorFailsNamingTheSlots() throws Exception {
    for (int i = 0; i < 32; i++) {
      WorkerLease.acquire(client(), app, ALL, 10_000, -1).await(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> WorkerLease.acquire(client(), app, ALL, 10_000, -1).await(10, TimeUnit.SECONDS))
      .isInstanceOf(WorkerIdsExhaustedException.class)
      .hasMessageContaining("all 32 worker-id slots are taken")
      .hasMessageContaining(app + ":worker-id:0 .. " + app + ":worker-id:31");
  }

  @Test
  void holderThatStopsRenewingFreesItsSlotAfterTheTtlNotBefore() throws Exception {
    long ttl = 1500;
    WorkerLease a = WorkerLease.acquire(client(), app, ALL, ttl, -1).await(10, TimeUnit.SECONDS);
    long takenAt = System.nanoTime();
    List<Integer> same = List.of(a.slot());
    assertThatThrownBy(() -> WorkerLease.acquire(client(), app, same, ttl, -1).await(10, TimeUnit.SECONDS))
      .isInstanceOf(WorkerIdsExhaustedException.class);
    WorkerLease b = null;
    while (b == null) {
      try {
        b = WorkerLease.acquire(client(), app, same, ttl, -1).await(10, TimeUnit.SECONDS);
      } catch (WorkerIdsExhaustedException stillHeld) {
        Thread.sleep(50);
      }
    }
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - takenAt);
    assertThat(waitedMs).as("the slot was free only once the TTL had passed").isGreaterThanOrEqualTo(ttl - 100);
    assertThat(b.slot()).isEqualTo(a.slot());
    assertThat(b.valid()).as("an expired lease means its holder stopped long ago: no wait").isTrue();
  }

  @Test
  void renewalKeepsTheLeaseAndRecordsTheLastTick() throws Exception {
    RedisAPI redis = client();
    WorkerLease a = WorkerLease.acquire(redis, app, ALL, 1500, -1).await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 6; i++) {
      Thread.sleep(500);
      assertThat(a.renew(1000 + i).await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(a.valid()).isTrue();
    }
    assertThat(redis.get(a.key() + ":last").await(5, TimeUnit.SECONDS).toLong()).isEqualTo(1005);
  }

  @Test
  void deletedLeaseStopsTheHolderBeforeTheNextHolderMayIssue() throws Exception {
    long ttl = 3000;
    RedisAPI redis = client();
    WorkerLease a = WorkerLease.acquire(redis, app, ALL, ttl, -1).await(10, TimeUnit.SECONDS);
    redis.del(List.of(a.key())).await(5, TimeUnit.SECONDS);

    WorkerLease b = WorkerLease.acquire(client(), app, List.of(a.slot()), ttl, -1).await(10, TimeUnit.SECONDS);
    assertThat(b.valid()).as("the next holder waits while the previous one may still issue").isFalse();
    assertThat(b.issueFromNanos()).as("the next holder issues only after the previous holder must have stopped")
      .isGreaterThan(a.validUntilNanos());
    assertThat(a.renew(0).await(10, TimeUnit.SECONDS)).as("the holder learns at its next renewal").isFalse();
    assertThat(a.valid()).isFalse();
  }

  @Test
  void nextHolderStartsAfterTheLastRecordedTick() throws Exception {
    WorkerLease a = WorkerLease.acquire(client(), app, ALL, 10_000, -1).await(10, TimeUnit.SECONDS);
    // The previous holder's clock ran an hour ahead of the next holder's (a clock set back in between).
    long aheadTick = IdLayout.NOCOBASE.tickOf(System.currentTimeMillis()) + 3600;
    assertThat(a.release(aheadTick).await(10, TimeUnit.SECONDS)).isTrue();
    WorkerLease b = WorkerLease.acquire(client(), app, List.of(a.slot()), 10_000, -1).await(10, TimeUnit.SECONDS);
    assertThat(b.lastTick()).isEqualTo(aheadTick);
    IdGenerator g = new IdGenerator(IdLayout.NOCOBASE, b.slot(), TickClock.monotonic(), 2000, b.lastTick() + 1);
    assertThatThrownBy(g::next).as("ids wait for the clock rather than repeat")
      .isInstanceOf(IdExhaustedException.class);
    IdGenerator borrowable = new IdGenerator(IdLayout.NOCOBASE, b.slot(), TickClock.monotonic(), 3_700_000,
      b.lastTick() + 1);
    assertThat(IdLayout.NOCOBASE.decompose(borrowable.next()).timestamp())
      .isAfter(IdLayout.NOCOBASE.instantOf(aheadTick));
  }

  @Test
  void acquisitionRecordsTheHorizonAndReturnsThePreviousLastTick() throws Exception {
    RedisAPI redis = client();
    WorkerLease a = WorkerLease.acquire(redis, app, List.of(3), 10_000, 500).await(10, TimeUnit.SECONDS);
    assertThat(a.lastTick()).isEqualTo(-1);
    assertThat(redis.get(a.key() + ":last").await(5, TimeUnit.SECONDS).toLong()).isEqualTo(500);
    // A crash: the lease is never released and expires; the next holder starts after the recorded horizon.
    redis.del(List.of(a.key(), a.key() + ":renewed")).await(5, TimeUnit.SECONDS);
    WorkerLease b = WorkerLease.acquire(client(), app, List.of(3), 10_000, 400).await(10, TimeUnit.SECONDS);
    assertThat(b.lastTick()).isEqualTo(500);
    assertThat(redis.get(a.key() + ":last").await(5, TimeUnit.SECONDS).toLong()).as("never lowered").isEqualTo(500);
  }

  @Test
  void releaseByALostHolderLeavesTheNewHolderAlone() throws Exception {
    RedisAPI redis = client();
    WorkerLease a = WorkerLease.acquire(redis, app, ALL, 10_000, -1).await(10, TimeUnit.SECONDS);
    redis.del(List.of(a.key())).await(5, TimeUnit.SECONDS);
    WorkerLease b = WorkerLease.acquire(client(), app, List.of(a.slot()), 10_000, -1).await(10, TimeUnit.SECONDS);
    assertThat(a.release(5).await(10, TimeUnit.SECONDS)).isFalse();
    assertThat(b.renew(6).await(10, TimeUnit.SECONDS)).isTrue();
  }
}
