package dev.colony.cache;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Bloom filters in this JVM: a bit set per filter, bits placed by {@link BloomShape}. */
final class MemoryBloomFilters implements BloomFilters {

  private final ConcurrentHashMap<String, Filter> filters = new ConcurrentHashMap<>();

  @Override
  public String implementation() {
    return "memory";
  }

  @Override
  public Future<Void> reserve(String name, double errorRate, long capacity) {
    Keys.checkName("Bloom filter", name);
    BloomShape shape = BloomShape.of(errorRate, capacity);
    Filter f = filters.computeIfAbsent(name, n -> new Filter(shape));
    if (!f.shape.equals(shape)) {
      return Future.failedFuture(new FilterConflictException(name, describe(f.shape), describe(shape)));
    }
    return Future.succeededFuture();
  }

  static String describe(BloomShape s) {
    return "errorRate=" + s.errorRate() + " capacity=" + s.capacity();
  }

  @Override
  public Future<Boolean> add(String name, String item) {
    return addAll(name, List.of(checkItem(item))).map(r -> r.get(0));
  }

  @Override
  public Future<Boolean> exists(String name, String item) {
    return existsAll(name, List.of(checkItem(item))).map(r -> r.get(0));
  }

  @Override
  public Future<List<Boolean>> addAll(String name, List<String> items) {
    Filter f = filter(name, items);
    if (f == null) {
      return Future.failedFuture(new UnknownFilterException(name));
    }
    List<Boolean> added = new ArrayList<>(items.size());
    for (String item : items) {
      boolean fresh = false;
      for (long p : f.shape.positions(item)) {
        fresh |= f.set(p);
      }
      added.add(fresh);
    }
    return Future.succeededFuture(added);
  }

  @Override
  public Future<List<Boolean>> existsAll(String name, List<String> items) {
    Filter f = filter(name, items);
    if (f == null) {
      return Future.failedFuture(new UnknownFilterException(name));
    }
    List<Boolean> found = new ArrayList<>(items.size());
    for (String item : items) {
      boolean all = true;
      for (long p : f.shape.positions(item)) {
        if (!f.get(p)) {
          all = false;
          break;
        }
      }
      found.add(all);
    }
    return Future.succeededFuture(found);
  }

  private Filter filter(String name, List<String> items) {
    Keys.checkName("Bloom filter", name);
    checkItems(items);
    return filters.get(name);
  }

  static List<String> checkItems(List<String> items) {
    if (items == null) {
      throw new IllegalArgumentException("Bloom filter items must not be null");
    }
    items.forEach(MemoryBloomFilters::checkItem);
    return items;
  }

  static String checkItem(String item) {
    if (item == null) {
      throw new IllegalArgumentException("Bloom filter item must not be null");
    }
    return item;
  }

  /** The bits of one filter; words are updated atomically, so concurrent adds lose no bit. */
  private static final class Filter {
    final BloomShape shape;
    final AtomicLongArray words;

    Filter(BloomShape shape) {
      this.shape = shape;
      this.words = new AtomicLongArray((int) ((shape.bits() + 63) / 64));
    }

    /** Sets bit {@code p}; true if it was clear. */
    boolean set(long p) {
      int i = (int) (p >>> 6);
      long mask = 1L << (p & 63);
      return (words.getAndUpdate(i, w -> w | mask) & mask) == 0;
    }

    boolean get(long p) {
      return (words.get((int) (p >>> 6)) & (1L << (p & 63))) != 0;
    }
  }
}
