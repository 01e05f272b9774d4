package dev.colony.signal;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DebouncerTest {

  /** Timers run by hand: {@link #advance} fires what is due. */
  private static final class FakeTimers implements Debouncer.Timers {
    final TreeMap<Long, Runnable> due = new TreeMap<>();
    long now;
    long next;

    @Override
    public long schedule(long delayMs, Runnable task) {
      long id = ++next;
      due.put((now + delayMs) * 1000 + id, task);
      return id;
    }

    @Override
    public void cancel(long id) {
      due.keySet().removeIf(k -> k % 1000 == id);
    }

    void advance(long ms) {
      now += ms;
      while (!due.isEmpty() && due.firstKey() / 1000 <= now) {
        due.pollFirstEntry().getValue().run();
      }
    }
  }

  private final FakeTimers timers = new FakeTimers();
  private final List<Signal> out = new ArrayList<>();
  private final Debouncer debouncer = new Debouncer(100, timers, out::add);

  private static Signal signal(JsonObject message) {
    return new Signal("t", message, "p", 0);
  }

  @Test
  void identicalMessagesWithinTheWindowAreDeliveredOnce() {
    for (int i = 0; i < 5; i++) {
      debouncer.handle(signal(new JsonObject().put("id", 1)));
      timers.advance(10);
    }
    assertThat(out).isEmpty();
    timers.advance(100);
    assertThat(out).hasSize(1);
  }

  @Test
  void differentMessagesAreNeverMerged() {
    debouncer.handle(signal(new JsonObject().put("id", 1)));
    debouncer.handle(signal(new JsonObject().put("id", 2)));
    debouncer.handle(signal(new JsonObject().put("id", 1).put("x", true)));
    timers.advance(100);
    assertThat(out).extracting(s -> s.message().encode())
      .containsExactlyInAnyOrder("{\"id\":1}", "{\"id\":2}", "{\"id\":1,\"x\":true}");
  }

  @Test
  void keyOrderDoesNotMakeMessagesDiffer() {
    debouncer.handle(signal(new JsonObject().put("a", 1).put("b", new JsonObject().put("c", 1).put("d", 2))));
    debouncer.handle(signal(new JsonObject().put("b", new JsonObject().put("d", 2).put("c", 1)).put("a", 1)));
    timers.advance(100);
    assertThat(out).hasSize(1);
  }

  @Test
  void aMessageAfterTheWindowOpensANewOne() {
    debouncer.handle(signal(new JsonObject().put("id", 1)));
    timers.advance(100);
    debouncer.handle(signal(new JsonObject().put("id", 1)));
    timers.advance(100);
    assertThat(out).hasSize(2);
  }

  @Test
  void cancelDropsWaitingSignals() {
    debouncer.handle(signal(new JsonObject().put("id", 1)));
    debouncer.cancel();
    timers.advance(1000);
    assertThat(out).isEmpty();
    assertThat(debouncer.waiting()).isZero();
  }
}
