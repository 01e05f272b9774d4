package dev.colony.signal;

import java.util.Optional;

/**
 * What {@code XINFO STREAM} says about the signal stream, and the gap rule: has anything after the last id a
 * reader saw been lost (trimmed away, or the whole stream lost with a Redis that restarted empty)?
 *
 * @param lastGenerated {@code last-generated-id}
 * @param maxDeleted    {@code max-deleted-entry-id} (Redis 7+), else null
 * @param firstEntry    id of the first entry, null when the stream is empty
 */
record StreamState(StreamId lastGenerated, StreamId maxDeleted, StreamId firstEntry) {

  /** The reason the reader at {@code lastSeen} has a gap, if it has one; {@code state} null = no such stream. */
  static Optional<String> gap(StreamId lastSeen, StreamState state) {
    if (state == null) {
      // Nothing was ever published (lastSeen zero), or the stream is gone with whatever it held.
      return lastSeen.isZero() ? Optional.empty() : Optional.of("stream-missing");
    }
    if (state.lastGenerated.compareTo(lastSeen) < 0) {
      return Optional.of("stream-reset");
    }
    if (state.maxDeleted != null) {
      // Exact: some entry newer than the last one seen was trimmed or deleted.
      return state.maxDeleted.compareTo(lastSeen) > 0 ? Optional.of("trimmed") : Optional.empty();
    }
    // Before Redis 7: the oldest entry is newer than the last one seen, so that one was trimmed, and maybe more.
    return state.firstEntry != null && !lastSeen.isZero() && state.firstEntry.compareTo(lastSeen) > 0
      ? Optional.of("trimmed") : Optional.empty();
  }

  /** Whether the reader must start again from the beginning of a new stream. */
  static boolean restart(String reason) {
    return reason.equals("stream-missing") || reason.equals("stream-reset");
  }
}
