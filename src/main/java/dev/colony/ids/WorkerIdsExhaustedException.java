package dev.colony.ids;

import java.util.List;

/** Every worker-id slot a node may lease is held by another node. */
public final class WorkerIdsExhaustedException extends RuntimeException {

  WorkerIdsExhaustedException(String app, List<Integer> slots) {
    super(message(app, slots), null, false, false);
  }

  private static String message(String app, List<Integer> slots) {
    if (slots.size() == 1) {
      return "worker id " + slots.get(0) + " is taken: " + WorkerLease.key(app, slots.get(0))
        + " holds another node's lease; pin another WORKER_ID, or unset it to lease any free slot";
    }
    return "all " + slots.size() + " worker-id slots are taken: keys " + WorkerLease.key(app, 0) + " .. "
      + WorkerLease.key(app, slots.size() - 1) + " each hold another node's lease. Stop a node, wait for a dead"
      + " node's lease to expire (ID_LEASE_TTL_MS), or use ID_LAYOUT=snowflake for 1024 slots";
  }
}
