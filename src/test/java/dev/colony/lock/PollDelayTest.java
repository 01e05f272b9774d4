package dev.colony.lock;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

class PollDelayTest {

  @RepeatedTest(50)
  void withoutAKnownTtlThePollIsJitteredBetweenOneAndTwoPollPeriods() {
    assertThat(LeasedLocks.pollDelay(-1)).isBetween(LeasedLocks.POLL_MS, 2 * LeasedLocks.POLL_MS - 1);
  }

  @RepeatedTest(50)
  void aHolderWhoseLeaseEndsSoonerIsRetriedJustAfterItEnds() {
    assertThat(LeasedLocks.pollDelay(40)).isBetween(41L, 50L);
  }

  @RepeatedTest(50)
  void aLongerHolderTtlDoesNotDelayThePoll() {
    assertThat(LeasedLocks.pollDelay(60_000)).isLessThan(2 * LeasedLocks.POLL_MS);
  }
}
