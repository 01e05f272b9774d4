package dev.colony.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUrlTest {

  @ParameterizedTest
  @CsvSource({
    "redis://:pw@host:6379/0, redis://:***@host:6379/0",
    "redis://user:pw@host:6379, redis://user:***@host:6379",
    "amqp://guest:guest@localhost:5672, amqp://guest:***@localhost:5672",
    "redis://host:6379/2, redis://host:6379/2",
    "redis://user@host, redis://user@host",
    "'see redis://a:b@c and amqp://d:e@f', 'see redis://a:***@c and amqp://d:***@f'",
  })
  void redactMasksOnlyThePassword(String raw, String shown) {
    assertThat(ServiceUrl.redact(raw)).isEqualTo(shown);
  }
}
