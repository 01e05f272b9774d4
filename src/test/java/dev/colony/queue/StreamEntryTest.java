package dev.colony.queue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEntryTest {

  @Test
  void aWellFormedEntryIsDecoded() {
    StreamEntry e = StreamEntry.parse("5-1", Map.of("id", "m1", "p", "{\"a\":1}", "t", "123", "a", "2", "r", "4"));
    assertThat(e.error()).isNull();
    assertThat(e.id()).isEqualTo("m1");
    assertThat(e.payload()).isEqualTo(new JsonObject().put("a", 1));
    assertThat(e.publishedAt()).isEqualTo(123);
    assertThat(e.before()).isEqualTo(2);
    assertThat(e.maxRetries()).isEqualTo(4);
  }

  @Test
  void anEntryWithoutIdUsesTheStreamId() {
    assertThat(StreamEntry.parse("7-0", Map.of("p", "{}")).id()).isEqualTo("7-0");
  }

  @Test
  void payloadsThatAreNotJsonObjectsAreErrorsNamingTheEntry() {
    for (String bad : List.of("{nope", "[1]", "42", "\"s\"", "", "null")) {
      StreamEntry e = StreamEntry.parse("9-0", Map.of("id", "x", "p", bad));
      assertThat(e.error()).as(bad).contains("stream entry 9-0 payload is not a JSON object");
      assertThat(e.deadPayload()).isEqualTo(new JsonObject().put("unreadable", bad));
    }
  }

  @Test
  void aMissingPayloadOrABadNumberIsAnError() {
    assertThat(StreamEntry.parse("1-0", Map.of("x", "y")).error()).contains("no payload field");
    assertThat(StreamEntry.parse("1-0", Map.of("p", "{}", "t", "soon")).error()).contains("malformed number");
  }

  @Test
  void retryFieldsCarryTheDeliveriesAndTheOverride() {
    StreamEntry e = StreamEntry.parse("1-0", Map.of("id", "m", "p", "{}", "t", "5", "r", "1"));
    assertThat(e.retryFields(3)).containsExactly("id", "m", "p", "{}", "t", "5", "a", "3", "r", "1");
    assertThat(StreamEntry.member(e.retryFields(3))).isEqualTo("[\"id\",\"m\",\"p\",\"{}\",\"t\",\"5\",\"a\",\"3\",\"r\",\"1\"]");
  }

  @Test
  void retryDelaysDoubleAndAreCapped() {
    ConsumeOptions o = new ConsumeOptions(1, 1000, 5, 100, 350);
    assertThat(List.of(o.retryDelayMs(1), o.retryDelayMs(2), o.retryDelayMs(3), o.retryDelayMs(40)))
      .containsExactly(100L, 200L, 350L, 350L);
  }
}
