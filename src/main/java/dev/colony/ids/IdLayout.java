package dev.colony.ids;

import java.time.Instant;
import java.util.Locale;

/**
 * The two id layouts. Both count ticks from NocoBase's epoch, 2020-11-10T16:00:00Z.
 *
 * <pre>
 * NOCOBASE (53 bits, a JSON number JavaScript reads exactly; interchangeable with NocoBase's ids)
 *   | 32 bits: seconds since epoch | 5 bits: worker 0..31 | 16 bits: sequence 0..65535 |
 * SNOWFLAKE (63 bits, carried in JSON as a string)
 *   | 41 bits: millis since epoch  | 10 bits: worker 0..1023 | 12 bits: sequence 0..4095 |
 * </pre>
 */
public enum IdLayout {

  NOCOBASE(1000, 5, 16, 32, 2000),
  SNOWFLAKE(1, 10, 12, 41, 1000);

  /** NocoBase's epoch, in Unix milliseconds. */
  public static final long EPOCH_MILLIS = 1_605_024_000_000L;

  private final long tickMillis;
  private final int workerBits;
  private final int sequenceBits;
  private final int tickBits;
  private final long defaultMaxBorrowMs;

  IdLayout(long tickMillis, int workerBits, int sequenceBits, int tickBits, long defaultMaxBorrowMs) {
    this.tickMillis = tickMillis;
    this.workerBits = workerBits;
    this.sequenceBits = sequenceBits;
    this.tickBits = tickBits;
    this.defaultMaxBorrowMs = defaultMaxBorrowMs;
  }

  /** Parses {@code nocobase} or {@code snowflake}, in any case; IllegalArgumentException otherwise. */
  public static IdLayout parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "nocobase" -> NOCOBASE;
      case "snowflake" -> SNOWFLAKE;
      default -> throw new IllegalArgumentException("unknown id layout \"" + name + "\": expected nocobase or snowflake");
    };
  }

  /** The name used in configuration and JSON. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int maxWorker() {
    return (1 << workerBits) - 1;
  }

  public int maxSequence() {
    return (1 << sequenceBits) - 1;
  }

  public long maxTick() {
    return (1L << tickBits) - 1;
  }

  int workerBits() {
    return workerBits;
  }

  int sequenceBits() {
    return sequenceBits;
  }

  public long tickMillis() {
    return tickMillis;
  }

  public long defaultMaxBorrowMs() {
    return defaultMaxBorrowMs;
  }

  /** The tick holding Unix time {@code epochMillis} (negative before the epoch). */
  public long tickOf(long epochMillis) {
    return Math.floorDiv(epochMillis - EPOCH_MILLIS, tickMillis);
  }

  /** The start of {@code tick}. */
  public Instant instantOf(long tick) {
    return Instant.ofEpochMilli(EPOCH_MILLIS + tick * tickMillis);
  }

  /** The id of these fields; IllegalArgumentException if any is out of its range. */
  public long compose(long tick, int worker, int sequence) {
    check("tick", tick, maxTick());
    check("worker", worker, maxWorker());
    check("sequence", sequence, maxSequence());
    return tick << (workerBits + sequenceBits) | (long) worker << sequenceBits | sequence;
  }

  /** The fields of {@code id}; IllegalArgumentException if it is negative or too large for this layout. */
  public IdParts decompose(long id) {
    if (id < 0 || (id >>> (tickBits + workerBits + sequenceBits)) != 0) {
      throw new IllegalArgumentException("not a " + configName() + " id: " + id);
    }
    long tick = id >>> (workerBits + sequenceBits);
    int worker = (int) (id >>> sequenceBits) & maxWorker();
    int sequence = (int) id & maxSequence();
    return new IdParts(id, instantOf(tick), worker, sequence, this);
  }

  private static void check(String field, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is out of range 0.." + max);
    }
  }
}
