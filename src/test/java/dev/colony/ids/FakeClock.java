package dev.colony.ids;

/** A clock the test sets; it may even go backwards, to show the generator does not care. */
final class FakeClock implements TickClock {

  private volatile long millis;

  FakeClock(long millis) {
    this.millis = millis;
  }

  @Override
  public long millis() {
    return millis;
  }

  void set(long millis) {
    this.millis = millis;
  }

  void advance(long ms) {
    millis += ms;
  }
}
