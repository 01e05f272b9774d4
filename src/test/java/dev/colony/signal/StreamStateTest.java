package dev.colony.signal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamStateTest {

  private static StreamId id(String s) {
    return StreamId.parse(s);
  }

  @Test
  void idsOrderAsRedisOrdersThem() {
    assertThat(id("10-2")).isGreaterThan(id("10-1")).isLessThan(id("11-0"));
    assertThat(id("5")).isEqualTo(new StreamId(5, 0));
    assertThat(id("1700000000000-3").toString()).isEqualTo("1700000000000-3");
  }

  @Test
  void noGapWhenTheLastSeenEntryIsStillThere() {
    // 300 added, 100 left starting at 90-0; the reader saw up to 100-0.
    assertThat(StreamState.gap(id("100-0"), 250, new StreamState(id("300-0"), id("0-0"), id("90-0"), 300L, 100)))
      .isEmpty();
  }

  @Test
  void noGapWhenExactlyTheEntriesUpToTheLastSeenWereTrimmed() {
    // 300 added, 100 left (201-0..300-0); the reader had passed 200 entries.
    assertThat(StreamState.gap(id("200-0"), 200, new StreamState(id("300-0"), id("0-0"), id("201-0"), 300L, 100)))
      .isEmpty();
  }

  @Test
  void gapWhenEntriesAfterTheLastSeenWereTrimmed() {
    // 1000 added, 100 left; the reader had passed only 10.
    assertThat(StreamState.gap(id("10-0"), 10, new StreamState(id("1000-0"), id("0-0"), id("901-0"), 1000L, 100)))
      .contains("trimmed");
  }

  @Test
  void gapWhenAnEntryAfterTheLastSeenWasDeleted() {
    assertThat(StreamState.gap(id("100-0"), 100, new StreamState(id("200-0"), id("150-0"), id("1-0"), 200L, 199)))
      .contains("deleted");
  }

  @Test
  void beforeRedis7TheFirstEntryDecides() {
    assertThat(StreamState.gap(id("100-0"), 0, new StreamState(id("200-0"), null, id("150-0"), null, 10)))
      .contains("trimmed");
    assertThat(StreamState.gap(id("100-0"), 0, new StreamState(id("200-0"), null, id("100-0"), null, 10))).isEmpty();
  }

  @Test
  void aMissingStreamIsAGapOnlyIfSomethingWasSeen() {
    assertThat(StreamState.gap(StreamId.ZERO, 0, null)).isEmpty();
    assertThat(StreamState.gap(id("100-0"), 5, null)).contains("stream-missing");
  }

  @Test
  void aStreamBehindTheLastSeenWasReset() {
    assertThat(StreamState.gap(id("100-0"), 5, new StreamState(id("50-0"), id("0-0"), id("1-0"), 3L, 3)))
      .contains("stream-reset");
    assertThat(StreamState.restart("stream-reset")).isTrue();
    assertThat(StreamState.restart("trimmed")).isFalse();
  }
}
