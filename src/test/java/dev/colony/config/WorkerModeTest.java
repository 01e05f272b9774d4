package dev.colony.config;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerModeTest {

  @Test
  void emptyServesApiAndEveryTopic() {
    WorkerMode m = WorkerMode.parse("");
    assertThat(m.serveApi()).isTrue();
    assertThat(m.consumes("workflow")).isTrue();
  }

  @Test
  void bangIsApiOnly() {
    WorkerMode m = WorkerMode.parse("!");
    assertThat(m.serveApi()).isTrue();
    assertThat(m.consumes("workflow")).isFalse();
  }

  @Test
  void starIsEveryTopicWithoutApi() {
    WorkerMode m = WorkerMode.parse("*");
    assertThat(m.serveApi()).isFalse();
    assertThat(m.consumes("anything")).isTrue();
  }

  @Test
  void listIsOnlyThoseTopics() {
    WorkerMode m = WorkerMode.parse("workflow, import");
    assertThat(m.serveApi()).isFalse();
    assertThat(m.topics()).isEqualTo(Set.of("workflow", "import"));
    assertThat(m.consumes("export")).isFalse();
  }

  @Test
  void bangWithTopicsIsApiPlusThoseTopics() {
    WorkerMode m = WorkerMode.parse("!,workflow");
    assertThat(m.serveApi()).isTrue();
    assertThat(m.consumes("workflow")).isTrue();
    assertThat(m.consumes("import")).isFalse();
  }

  @Test
  void badTopicNameIsRefused() {
    assertThatThrownBy(() -> WorkerMode.parse("a,,b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkerMode.parse("a;b")).isInstanceOf(IllegalArgumentException.class);
  }
}
