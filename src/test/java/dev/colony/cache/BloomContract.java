package dev.colony.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.colony.testing.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link BloomFilters}, run against every implementation by a subclass. */
@ExtendWith(VertxExtension.class)
abstract class BloomContract {

  static final String APP = "tb" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
  private static final int BATCH = 5000;

  Vertx vertx;
  BloomFilters filters;

  abstract BloomFilters newFilters(Vertx vertx);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.filters = newFilters(vertx);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  /** Added items are "in-<i>", absent ones "out-<i>": disjoint by construction. */
  static List<String> items(String prefix, int from, int to) {
    List<String> l = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      l.add(prefix + i);
    }
    return l;
  }

  /** Fills a filter to capacity, checks every added item is found, answers the false-positive rate measured. */
  double fillAndMeasure(BloomFilters f, String name, double errorRate, int capacity) throws Exception {
    await(f.reserve(name, errorRate, capacity));
    List<Future<List<Boolean>>> adds = new ArrayList<>();
    for (int from = 0; from < capacity; from += BATCH) {
      adds.add(f.addAll(name, items("in-", from, Math.min(capacity, from + BATCH))));
    }
    await(Future.all(adds));
    int falseNegatives = 0;
    for (int from = 0; from < capacity; from += BATCH) {
      for (boolean b : await(f.existsAll(name, items("in-", from, Math.min(capacity, from + BATCH))))) {
        falseNegatives += b ? 0 : 1;
      }
    }
    assertThat(falseNegatives).as("false negatives").isZero();
    int absent = 100_000;
    int falsePositives = 0;
    for (int from = 0; from < absent; from += BATCH) {
      for (boolean b : await(f.existsAll(name, items("out-", from, from + BATCH)))) {
        falsePositives += b ? 1 : 0;
      }
    }
    double rate = (double) falsePositives / absent;
    System.out.printf("[%s] %s: capacity %d filled, error rate %s: 0 false negatives; %d false positives in %d"
        + " absent items = measured rate %.5f (%.2f x configured)%n", getClass().getSimpleName(),
      f.implementation(), capacity, errorRate, falsePositives, absent, rate, rate / errorRate);
    return rate;
  }

  @Test
  void atCapacityTheFalsePositiveRateStaysWithinOneAndAHalfTimesTheConfiguredOne() throws Exception {
    assertThat(fillAndMeasure(filters, CachesContract.unique("fp1"), 0.01, 100_000)).isLessThanOrEqualTo(1.5 * 0.01);
    assertThat(fillAndMeasure(filters, CachesContract.unique("fp01"), 0.001, 100_000)).isLessThanOrEqualTo(1.5 * 0.001);
  }

  @Test
  void addAnswersWhetherTheItemIsNewAndExistsFindsIt() throws Exception {
    String name = CachesContract.unique("add");
    await(filters.reserve(name, 0.001, 1000));

    assertThat(await(filters.exists(name, "token-a"))).isFalse();
    assertThat(await(filters.add(name, "token-a"))).isTrue();
    assertThat(await(filters.add(name, "token-a"))).isFalse();
    assertThat(await(filters.exists(name, "token-a"))).isTrue();
    assertThat(await(filters.exists(name, ""))).isFalse();
    assertThat(await(filters.add(name, "Zoë ☃"))).isTrue();
    assertThat(await(filters.existsAll(name, List.of("Zoë ☃", "token-a", "token-b"))))
      .containsExactly(true, true, false);
    assertThat(await(filters.addAll(name, List.of("token-b", "token-a")))).containsExactly(true, false);
    assertThat(await(filters.existsAll(name, List.of()))).isEmpty();
  }

  @Test
  void reservingAgainWithTheSameParametersKeepsTheItems() throws Exception {
    String name = CachesContract.unique("again");
    await(filters.reserve(name, 0.01, 500));
    await(filters.add(name, "kept"));

    await(filters.reserve(name, 0.01, 500));

    assertThat(await(filters.exists(name, "kept"))).isTrue();
  }

  @Test
  void reservingAgainWithOtherParametersFailsNamingBoth() throws Exception {
    String name = CachesContract.unique("conflict");
    await(filters.reserve(name, 0.01, 500));

    Throwable e = failure(filters.reserve(name, 0.001, 500));
    Throwable e2 = failure(filters.reserve(name, 0.01, 600));

    System.out.printf("[%s] conflicting reserve: %s%n", getClass().getSimpleName(), e.getMessage());
    assertThat(e).isInstanceOf(FilterConflictException.class).hasMessageContaining(name)
      .hasMessageContaining("errorRate=0.01").hasMessageContaining("errorRate=0.001");
    assertThat(e2).isInstanceOf(FilterConflictException.class).hasMessageContaining("capacity=600");
  }

  @Test
  void anUnknownFilterFailsEveryOperationByName() throws Exception {
    String name = CachesContract.unique("never-reserved");
    for (Future<?> f : List.of(filters.add(name, "x"), filters.exists(name, "x"),
      filters.addAll(name, List.of("x", "y")), filters.existsAll(name, List.of("x")))) {
      Throwable e = failure(f);
      assertThat(e).isInstanceOf(UnknownFilterException.class).hasMessageContaining(name);
    }
    // Still working afterwards.
    await(filters.reserve(name, 0.01, 10));
    assertThat(await(filters.add(name, "x"))).isTrue();
  }

  @Test
  void outOfRangeParametersAndBadArgumentsThrowAtTheCall() {
    assertThatThrownBy(() -> filters.reserve("f", 0, 100)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("error rate");
    assertThatThrownBy(() -> filters.reserve("f", 1, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> filters.reserve("f", 1.5, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> filters.reserve("f", 0.01, 0)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("capacity");
    assertThatThrownBy(() -> filters.reserve("f", 0.01, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> filters.reserve("f", 0.0001, 10_000_000_000L))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bits");
    assertThatThrownBy(() -> filters.reserve("a:b", 0.01, 10)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("a:b");
    assertThatThrownBy(() -> filters.add("f", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> filters.existsAll("f", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> filters.addAll("f", java.util.Arrays.asList("a", null)))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
