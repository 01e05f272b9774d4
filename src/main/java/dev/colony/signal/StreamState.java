package dev.colony.signal;

import java.util.Optional;

/**
 * What {@code XINFO STREAM} says about the signal stream, and the gap rule: has anything after the last id a
 * reader saw been lost (trimmed away, deleted, or the whole stream lost with a Redis that restarted empty)?
 *
 * <p>Trimming removes entries from the head and does not move {@code max-deleted-entry-id} (only XDEL does), so
 * the rule counts: a reader knows how many entries the stream had ever received up to its last id
 * ({@code seenCount}: {@code entries-added} when it started, plus every entry it read since). If the first
 * entry left is newer than the last id, every entry up to the last id is gone, so more than {@code seenCount}
 * removed entries ({@code entries-added - length}) means some newer ones are gone too.
 *
 * @param lastGenerated {@code last-generated-id}
 * @param maxDeleted    {@code max-deleted-entry-id} (Redis 7+), else null
 * @param firstEntry    id of the first entry, null when the stream is empty
 * @param entriesAdded  {@code entries-added} (Redis 7+), else null
 * @param length        {@code length}
 */
record StreamState(StreamId lastGenerated, StreamId maxDeleted, StreamId firstEntry, Long entriesAdded,
                   long length) {

  /** The reason the reader at {@code lastSeen} has a gap, if it has one; {@code state} null = no such stream. */
  static Optional<String> gap(StreamId lastSeen, long seenCount, StreamState state) {
    if (state == null) {
      // Nothing was ever published (lastSeen zero), or the stream is gone with whatever it held.
      return lastSeen.isZero() ? Optional.empty() : Optional.of("stream-missing");
    }
    if (state.lastGenerated.compareTo(lastSeen) < 0) {
      return Optional.of("stream-reset");
    }
    if (state.maxDeleted != null && state.maxDeleted.compareTo(lastSeen) > 0) {
      return Optional.of("deleted");
    }
    boolean headPassed = state.firstEntry == null ? state.lastGenerated.compareTo(lastSeen) > 0
      : state.firstEntry.compareTo(lastSeen) > 0;
    if (!headPassed) {
      return Optional.empty();
    }
    if (state.entriesAdded != null) {
      return state.entriesAdded - state.length > seenCount ? Optional.of("trimmed") : Optional.empty();
    }
    // Before Redis 7: the entry at lastSeen is gone, and maybe more; assume the worst.
    return lastSeen.isZero() ? Optional.empty() : Optional.of("trimmed");
  }

  /** Whether the reader must start again from the beginning of a new stream. */
  static boolean restart(String reason) {
    return reason.equals("stream-missing") || reason.equals("stream-reset");
  }
}
