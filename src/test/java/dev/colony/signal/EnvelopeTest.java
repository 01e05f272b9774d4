package dev.colony.signal;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

  @Test
  void roundTripsThroughText() {
    Envelope e = new Envelope("n1", true, false, new JsonObject().put("a", 1), "roles", 42L, 7L);
    assertThat(Envelope.parse(e.toJson().encode())).isEqualTo(e);
  }

  @Test
  void readsNocoBaseEnvelopeWithoutOptions() {
    Envelope e = Envelope.parse("{\"publisherId\":\"p\",\"message\":{\"x\":true},\"topic\":\"t\"}");
    assertThat(e.skipSelf()).isFalse();
    assertThat(e.onlySelf()).isFalse();
    assertThat(e.seq()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1,2]", "{}", "{\"publisherId\":\"p\",\"topic\":\"t\"}",
    "{\"publisherId\":\"p\",\"message\":{}}", "{\"topic\":\"t\",\"message\":{}}",
    "{\"publisherId\":\"p\",\"topic\":\"t\",\"message\":\"text\"}",
    "{\"publisherId\":\"p\",\"topic\":\"t\",\"message\":{},\"skipSelf\":\"yes\"}"})
  void rejectsMalformedEntries(String text) {
    assertThatThrownBy(() -> Envelope.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAMissingField() {
    assertThatThrownBy(() -> Envelope.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
