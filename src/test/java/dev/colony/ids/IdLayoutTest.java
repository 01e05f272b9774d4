package dev.colony.ids;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdLayoutTest {

  @ParameterizedTest(name = "{0}: tick {1}, worker {2}, sequence {3}")
  @CsvSource({
    "NOCOBASE, 0, 0, 0",
    "NOCOBASE, 1, 0, 0",
    "NOCOBASE, 190000000, 17, 12345",
    "NOCOBASE, 4294967295, 31, 65535",
    "SNOWFLAKE, 0, 0, 0",
    "SNOWFLAKE, 190000000000, 512, 4000",
    "SNOWFLAKE, 2199023255551, 1023, 4095",
  })
  void fieldsRoundTrip(IdLayout layout, long tick, int worker, int sequence) {
    long id = layout.compose(tick, worker, sequence);
    IdParts parts = layout.decompose(id);
    assertThat(parts.id()).isEqualTo(id);
    assertThat(parts.timestamp()).isEqualTo(layout.instantOf(tick));
    assertThat(parts.workerId()).isEqualTo(worker);
    assertThat(parts.sequence()).isEqualTo(sequence);
    assertThat(id).isNotNegative();
  }

  @Test
  void nocobaseMatchesNocoBasesFormula() {
    long seconds = 1_764_300_000L;
    long id = IdLayout.NOCOBASE.compose(IdLayout.NOCOBASE.tickOf(seconds * 1000), 3, 7);
    assertThat(id).isEqualTo((seconds - 1605024000L) << 21 | 3L << 16 | 7);
  }

  @Test
  void nocobaseIdsStayBelowTwoToThe53() {
    assertThat(IdLayout.NOCOBASE.compose(IdLayout.NOCOBASE.maxTick(), 31, 65535)).isEqualTo((1L << 53) - 1);
    assertThatThrownBy(() -> IdLayout.NOCOBASE.decompose(1L << 53)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeIdsAreRejected() {
    assertThatThrownBy(() -> IdLayout.SNOWFLAKE.decompose(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outOfRangeFieldsAreRejected() {
    assertThatThrownBy(() -> IdLayout.NOCOBASE.compose(0, 32, 0)).hasMessageContaining("worker 32 is out of range 0..31");
    assertThatThrownBy(() -> IdLayout.SNOWFLAKE.compose(0, 0, 4096)).hasMessageContaining("sequence 4096");
    assertThatThrownBy(() -> IdLayout.NOCOBASE.compose(-1, 0, 0)).hasMessageContaining("tick -1");
  }

  @Test
  void parseAcceptsEitherCase() {
    assertThat(IdLayout.parse("Snowflake")).isEqualTo(IdLayout.SNOWFLAKE);
    assertThatThrownBy(() -> IdLayout.parse("uuid")).isInstanceOf(IllegalArgumentException.class);
  }
}
