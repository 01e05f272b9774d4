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
  void noGapWhenOnlyOlderEntriesWereTrimmed() {
    assertThat(StreamState.gap(id("100-0"), new StreamState(id("200-0"), id("90-0"), id("91-0")))).isEmpty();
  }

  @Test
  void gapWhenAnEntryAfterTheLastSeenWasTrimmed() {
    assertThat(StreamState.gap(id("100-0"), new StreamState(id("200-0"), id("150-0"), id("151-0"))))
      .contains("trimmed");
  }

  @Test
  void withoutMaxDeletedTheFirstEntryDecides() {
    assertThat(StreamState.gap(id("100-0"), new StreamState(id("200-0"), null, id("150-0")))).contains("trimmed");
    assertThat(StreamState.gap(id("100-0"), new StreamState(id("200-0"), null, id("100-0")))).isEmpty();
  }

  @Test
  void aMissingStreamIsAGapOnlyIfSomethingWasSeen() {
    assertThat(StreamState.gap(StreamId.ZERO, null)).isEmpty();
    assertThat(StreamState.gap(id("100-0"), null)).contains("stream-missing");
  }

  @Test
  void aStreamBehindTheLastSeenWasReset() {
    assertThat(StreamState.gap(id("100-0"), new StreamState(id("50-0"), id("0-0"), id("1-0")))).contains("stream-reset");
    assertThat(StreamState.restart("stream-reset")).isTrue();
    assertThat(StreamState.restart("trimmed")).isFalse();
  }
}
