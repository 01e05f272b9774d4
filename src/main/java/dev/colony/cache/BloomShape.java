package dev.colony.cache;

import java.nio.charset.StandardCharsets;

/**
 * The size of a Bloom filter and where an item's bits are; plain Java, shared by the memory and the Redis
 * bitmap filters so both set the same bits for the same item.
 *
 * <p>For {@code n} = capacity and {@code p} = error rate: {@code m = ceil(-n ln p / (ln 2)^2)} bits and
 * {@code k = max(1, round(m / n * ln 2))} hash functions. Item positions use double hashing (Kirsch and
 * Mitzenmacher): with {@code h1, h2} the two halves of the item's MurmurHash3 x64 128 (UTF-8), bit {@code i} is
 * {@code (h1 + i * h2) mod m}, unsigned, for {@code i = 0..k-1}.
 *
 * @param errorRate the false-positive rate expected at capacity
 * @param capacity  the number of items it is sized for
 * @param bits      {@code m}
 * @param hashes    {@code k}
 */
record BloomShape(double errorRate, long capacity, long bits, int hashes) {

  /** Largest bitmap: one Redis string holds at most 512 MB = 2^32 bits. */
  static final long MAX_BITS = 1L << 32;

  /**
   * @throws IllegalArgumentException if the error rate is not strictly between 0 and 1, the capacity is under 1,
   *                                  or the filter would need more than 2^32 bits
   */
  static BloomShape of(double errorRate, long capacity) {
    if (!(errorRate > 0 && errorRate < 1)) {
      throw new IllegalArgumentException("Bloom filter error rate must be strictly between 0 and 1, got " + errorRate);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("Bloom filter capacity must be at least 1, got " + capacity);
    }
    double ln2 = Math.log(2);
    double m = Math.ceil(-capacity * Math.log(errorRate) / (ln2 * ln2));
    if (m > MAX_BITS) {
      throw new IllegalArgumentException(String.format("Bloom filter capacity %d at error rate %s needs %.0f bits,"
        + " over the limit of %d (512 MB); lower the capacity or raise the error rate", capacity, errorRate, m,
        MAX_BITS));
    }
    long bits = Math.max(64, (long) m);
    int hashes = (int) Math.max(1, Math.round((double) bits / capacity * ln2));
    return new BloomShape(errorRate, capacity, bits, hashes);
  }

  /** The {@code k} bit positions of {@code item}. */
  long[] positions(String item) {
    long[] h = Murmur3.hash128(item.getBytes(StandardCharsets.UTF_8));
    long[] p = new long[hashes];
    for (int i = 0; i < hashes; i++) {
      p[i] = Long.remainderUnsigned(h[0] + i * h[1], bits);
    }
    return p;
  }
}
