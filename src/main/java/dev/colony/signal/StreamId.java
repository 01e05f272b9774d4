package dev.colony.signal;

/** A Redis stream entry id, {@code <ms>-<seq>}, ordered as Redis orders them. */
record StreamId(long ms, long seq) implements Comparable<StreamId> {

  static final StreamId ZERO = new StreamId(0, 0);

  /** Parses {@code ms-seq} (or a bare {@code ms}); throws {@link IllegalArgumentException} otherwise. */
  static StreamId parse(String text) {
    try {
      int dash = text.indexOf('-');
      return dash < 0 ? new StreamId(Long.parseUnsignedLong(text), 0)
        : new StreamId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("not a stream id: " + text);
    }
  }

  boolean isZero() {
    return ms == 0 && seq == 0;
  }

  @Override
  public int compareTo(StreamId o) {
    int c = Long.compareUnsigned(ms, o.ms);
    return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }
}
