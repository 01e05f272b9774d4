package dev.colony.queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RabbitNamesTest {

  @Test
  void namesFollowAppDotChannel() {
    RabbitNames n = new RabbitNames("shop");
    assertThat(n.work("orders")).isEqualTo("shop.orders");
    assertThat(n.dead("orders")).isEqualTo("shop.orders.dead");
    assertThat(n.deadExchange("orders")).isEqualTo("shop.orders.dlx");
    assertThat(n.retry("orders", 250)).isEqualTo("shop.orders.retry.250");
    assertThat(n.queues("orders")).contains("shop.orders", "shop.orders.dead", "shop.orders.retry.3600000")
      .hasSize(RabbitNames.LEVELS.length + 2);
  }

  @Test
  void aDelayIsServedByTheLargestLevelNotAboveIt() {
    assertThat(RabbitNames.level(1)).isEqualTo(25);
    assertThat(RabbitNames.level(25)).isEqualTo(25);
    assertThat(RabbitNames.level(99)).isEqualTo(25);
    assertThat(RabbitNames.level(100)).isEqualTo(100);
    assertThat(RabbitNames.level(1_500)).isEqualTo(1_000);
    assertThat(RabbitNames.level(500)).isEqualTo(250);
    assertThat(RabbitNames.level(86_400_000)).isEqualTo(3_600_000);
  }

  @Test
  void aNonPositiveRemainingDelayIsRejected() {
    assertThatThrownBy(() -> RabbitNames.level(0)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("got 0");
  }
}
