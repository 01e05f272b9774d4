package dev.colony.bench;

import dev.colony.ids.IdExhaustedException;
import dev.colony.ids.IdGenerator;
import dev.colony.ids.IdLayout;
import dev.colony.ids.TickClock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Ids per second from one shared generator with a real clock. The generator is rate-limited by design (a tick's
 * sequence, then bounded borrowing), so calls past the limit fail fast: {@code issued} counts ids, {@code refused}
 * counts fast failures. Run by bench/ids-jmh.sh, which reports issued ids as a ratio to the layout's ceiling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class IdGeneratorBench {

  @Param({"NOCOBASE", "SNOWFLAKE"})
  public IdLayout layout;

  IdGenerator generator;

  @Setup(Level.Trial)
  public void setUp() {
    generator = new IdGenerator(layout, 1, TickClock.monotonic(), 0, 0);
  }

  /** Per-thread counters JMH reports as rates. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long issued;
    public long refused;
  }

  @Benchmark
  public long next(Counts counts) {
    try {
      long id = generator.next();
      counts.issued++;
      return id;
    } catch (IdExhaustedException e) {
      counts.refused++;
      return 0;
    }
  }
}
