package dev.colony.ids;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IdGeneratorTest {

  private static final long NOW = 1_764_300_000_000L;

  @ParameterizedTest
  @EnumSource(IdLayout.class)
  void idsIncreaseStrictlyAcrossTicksAndSequenceOverflow(IdLayout layout) {
    FakeClock clock = new FakeClock(NOW);
    IdGenerator g = new IdGenerator(layout, 5, clock, 10 * layout.tickMillis(), 0);
    int perTick = layout.maxSequence() + 1;
    long prev = -1;
    for (int i = 0; i < perTick * 3; i++) { // three ticks' worth in one: borrows two ticks ahead
      long id = g.next();
      assertThat(id).isGreaterThan(prev);
      prev = id;
      if (i % 1000 == 0) {
        clock.advance(layout.tickMillis() / 4);
      }
    }
    assertThat(layout.decompose(prev).workerId()).isEqualTo(5);
  }

  @Test
  void borrowingStopsAtItsBoundFailsThenRecovers() {
    FakeClock clock = new FakeClock(NOW);
    IdGenerator g = new IdGenerator(IdLayout.NOCOBASE, 0, clock, 2000, 0);
    int perTick = 65536;
    for (int i = 0; i < perTick * 3; i++) { // this tick plus two borrowed
      g.next();
    }
    IdExhaustedException e = catchThrowableOfType(IdExhaustedException.class, g::next);
    assertThat(e.retryAfterMillis()).isPositive();
    assertThatThrownBy(g::next).as("still failing until time moves").isInstanceOf(IdExhaustedException.class);
    clock.advance(1000);
    long id = g.next();
    assertThat(IdLayout.NOCOBASE.decompose(id).timestamp().toEpochMilli()).isEqualTo(
      IdLayout.NOCOBASE.instantOf(IdLayout.NOCOBASE.tickOf(NOW) + 3).toEpochMilli());
  }

  @Test
  void zeroBorrowFailsWhenTheTickIsFull() {
    FakeClock clock = new FakeClock(NOW);
    IdGenerator g = new IdGenerator(IdLayout.SNOWFLAKE, 1, clock, 0, 0);
    g.next(4096);
    assertThatThrownBy(g::next).isInstanceOf(IdExhaustedException.class);
    clock.advance(1);
    assertThat(g.next()).isPositive();
  }

  @Test
  void wallClockStepBackwardsChangesNothingInARunningGenerator() {
    long[] wall = {NOW};
    long[] nanos = {0};
    IdGenerator g = new IdGenerator(IdLayout.SNOWFLAKE, 1, TickClock.monotonic(() -> wall[0], () -> nanos[0]), 1000, 0);
    long before = g.next();
    wall[0] = NOW - 3_600_000; // an NTP step of an hour back
    nanos[0] += 5_000_000;      // while 5 ms really pass
    long after = g.next();
    assertThat(after).isGreaterThan(before);
    assertThat(IdLayout.SNOWFLAKE.decompose(after).timestamp().toEpochMilli() - IdLayout.SNOWFLAKE.decompose(before)
      .timestamp().toEpochMilli()).isEqualTo(5);
  }

  @Test
  void clockReadingBehindTheLastIdRefusesRatherThanRepeats() {
    FakeClock clock = new FakeClock(NOW);
    IdGenerator g = new IdGenerator(IdLayout.SNOWFLAKE, 1, clock, 1000, 0);
    long before = g.next();
    clock.set(NOW - 500);
    assertThat(g.next()).as("within the borrow bound: continues after the last id").isGreaterThan(before);
    clock.set(NOW - 3_600_000);
    assertThatThrownBy(g::next).isInstanceOf(IdExhaustedException.class);
  }

  @Test
  void monotonicClockNeverDecreases() {
    TickClock clock = TickClock.monotonic();
    long prev = clock.millis();
    for (int i = 0; i < 100_000; i++) {
      long now = clock.millis();
      assertThat(now).isGreaterThanOrEqualTo(prev);
      prev = now;
    }
    assertThat(prev).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
  }

  @ParameterizedTest
  @EnumSource(IdLayout.class)
  void workerZeroWorks(IdLayout layout) {
    IdGenerator g = new IdGenerator(layout, 0, new FakeClock(NOW), 1000, 0);
    IdParts parts = layout.decompose(g.next());
    assertThat(parts.workerId()).isZero();
    assertThat(parts.sequence()).isZero();
  }

  @Test
  void workerOutOfRangeIsRefusedPerLayout() {
    assertThatThrownBy(() -> new IdGenerator(IdLayout.NOCOBASE, 32, new FakeClock(NOW), 0, 0))
      .hasMessageContaining("out of range 0..31");
    assertThatThrownBy(() -> new IdGenerator(IdLayout.SNOWFLAKE, 1024, new FakeClock(NOW), 0, 0))
      .hasMessageContaining("out of range 0..1023");
    assertThat(new IdGenerator(IdLayout.SNOWFLAKE, 1023, new FakeClock(NOW), 0, 0).next()).isPositive();
  }

  @Test
  void minTickIsRespected() {
    long nowTick = IdLayout.NOCOBASE.tickOf(NOW);
    IdGenerator g = new IdGenerator(IdLayout.NOCOBASE, 3, new FakeClock(NOW), 5000, nowTick + 2);
    assertThat(IdLayout.NOCOBASE.decompose(g.next()).timestamp()).isEqualTo(IdLayout.NOCOBASE.instantOf(nowTick + 2));
    IdGenerator tooFar = new IdGenerator(IdLayout.NOCOBASE, 3, new FakeClock(NOW), 2000, nowTick + 10);
    assertThatThrownBy(tooFar::next).isInstanceOf(IdExhaustedException.class);
  }

  @Test
  void batchIsConsecutiveAndAllOrNothing() {
    FakeClock clock = new FakeClock(NOW);
    IdGenerator g = new IdGenerator(IdLayout.SNOWFLAKE, 9, clock, 1, 0);
    long[] batch = g.next(5000); // crosses into the next (borrowed) millisecond
    for (int i = 1; i < batch.length; i++) {
      assertThat(batch[i]).isGreaterThan(batch[i - 1]);
    }
    assertThat(IdLayout.SNOWFLAKE.decompose(batch[4999]).sequence()).isEqualTo(5000 - 4096 - 1);
    long lastTickBefore = g.lastTick();
    assertThatThrownBy(() -> g.next(5000)).isInstanceOf(IdExhaustedException.class);
    assertThat(g.lastTick()).as("a refused batch reserves nothing").isEqualTo(lastTickBefore);
    assertThatThrownBy(() -> g.next(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.next(10_001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoThreadsTimesAMillionIdsHaveNoDuplicate() throws Exception {
    IdGenerator g = new IdGenerator(IdLayout.SNOWFLAKE, 7, TickClock.monotonic(), 1000, 0);
    int threads = 2;
    int perThread = 1_000_000;
    long[] ids = new long[threads * perThread];
    CountDownLatch start = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int offset = t * perThread;
      workers[t] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        int i = 0;
        while (i < perThread) {
          try {
            ids[offset + i] = g.next();
            i++;
          } catch (IdExhaustedException e) {
            Thread.onSpinWait(); // the test thread waits for time; the generator never does
          }
        }
      });
      workers[t].start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    Arrays.sort(ids);
    for (int i = 1; i < ids.length; i++) {
      assertThat(ids[i]).isNotEqualTo(ids[i - 1]);
    }
  }
}
