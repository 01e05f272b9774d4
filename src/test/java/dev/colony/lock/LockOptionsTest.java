package dev.colony.lock;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockOptionsTest {

  @Test
  void defaultsAreA30sTtlA10sWaitAndNoHoldBound() {
    assertThat(LockOptions.DEFAULT.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(LockOptions.DEFAULT.waitTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(LockOptions.DEFAULT.maxHold()).isZero();
  }

  @ParameterizedTest(name = "ttl={0} ms, wait={1} ms, maxHold={2} ms")
  @CsvSource({
    "0, 100, 0",
    "-1, 100, 0",
    "1000, -1, 0",
    "1000, 100, -1",
  })
  void invalidValuesThrow(long ttl, long wait, long maxHold) {
    assertThatThrownBy(() -> new LockOptions(Duration.ofMillis(ttl), Duration.ofMillis(wait),
        Duration.ofMillis(maxHold)))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTtlUnderOneMillisecondThrows() {
    assertThatThrownBy(() -> LockOptions.of(Duration.ofNanos(999_999), Duration.ZERO))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullsThrow() {
    assertThatThrownBy(() -> LockOptions.of(null, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LockOptions.of(Duration.ofSeconds(1), null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockOptions(Duration.ofSeconds(1), Duration.ZERO, null))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aZeroWaitMeansOneAttempt() {
    assertThat(LockOptions.DEFAULT.withWaitTimeout(Duration.ZERO).waitTimeout()).isZero();
  }
}
