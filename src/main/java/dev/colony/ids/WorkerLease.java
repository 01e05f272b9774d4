package dev.colony.ids;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One worker-id slot leased from Redis. {@code <app>:worker-id:<n>} holds the holder's random token with a TTL;
 * {@code <app>:worker-id:<n>:last} (no TTL) keeps a tick no id of the slot can pass: at acquisition and at each
 * renewal the holder records the furthest tick it may reach before it must stop (now + 2/3 TTL + the borrowing
 * bound), and at release the last tick it issued, so the next holder starts after every id issued under the
 * slot even if it crashed and the next holder's clock is behind; {@code <app>:worker-id:<n>:renewed} holds the Redis time of the last successful renewal
 * (with the TTL), so a node that takes a slot whose lease vanished early (deleted behind its holder's back)
 * waits until the previous holder has surely stopped issuing.
 *
 * <p>The holder may issue ids only while {@link #valid()}: until 2/3 of the TTL after the last successful
 * renewal was <em>sent</em>, measured on its own monotonic clock, which is always before Redis could let the
 * key expire.
 */
final class WorkerLease {

  /**
   * SET NX PX the lease and raise the recorded last tick to ARGV[3]; on success return {the last tick recorded
   * before, ms since the slot's last renewal or -1}.
   */
  static final String ACQUIRE = """
    if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
    local last = redis.call('GET', KEYS[2]) or '-1'
    if tonumber(ARGV[3]) > tonumber(last) then redis.call('SET', KEYS[2], ARGV[3]) end
    local t = redis.call('TIME')
    local now = t[1] * 1000 + math.floor(t[2] / 1000)
    local renewed = tonumber(redis.call('GET', KEYS[3]) or '-1')
    local ago = -1
    if renewed >= 0 then ago = now - renewed end
    redis.call('SET', KEYS[3], string.format('%.0f', now), 'PX', ARGV[2])
    return {last, string.format('%.0f', ago)}
    """;

  /** Compare-and-expire: extend the lease if it is still ours, recording the last tick; 1 if ours, else 0. */
  static final String RENEW = """
    if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    local t = redis.call('TIME')
    redis.call('SET', KEYS[3], string.format('%.0f', t[1] * 1000 + math.floor(t[2] / 1000)), 'PX', ARGV[2])
    if tonumber(ARGV[3]) > tonumber(redis.call('GET', KEYS[2]) or '-1') then redis.call('SET', KEYS[2], ARGV[3]) end
    return 1
    """;

  /**
   * Compare-and-delete: free the slot if it is still ours and record the last tick really issued (lower than the
   * horizon recorded at renewals, so the next holder need not wait for it); 1 if ours, else 0.
   */
  static final String RELEASE = """
    if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
    redis.call('SET', KEYS[2], ARGV[2])
    redis.call('DEL', KEYS[1], KEYS[3])
    return 1
    """;


  private final RedisAPI redis;
  private final String key;
  private final int slot;
  private final String token;
  private final long ttlMs;
  private final long lastTick;
  private final long issueFromNanos;
  private volatile long validUntilNanos;

  private WorkerLease(RedisAPI redis, String key, int slot, String token, long ttlMs, long lastTick,
                      long issueFromNanos, long validUntilNanos) {
    this.redis = redis;
    this.key = key;
    this.slot = slot;
    this.token = token;
    this.ttlMs = ttlMs;
    this.lastTick = lastTick;
    this.issueFromNanos = issueFromNanos;
    this.validUntilNanos = validUntilNanos;
  }

  static String key(String app, int slot) {
    return app + ":worker-id:" + slot;
  }

  /**
   * Leases the first free slot among {@code slots}, in order, recording {@code horizonTick} as a tick the new
   * holder's ids will not pass before its first renewal (-1 for none). Fails with {@link WorkerIdsExhaustedException}
   * when every one is taken; other failures (Redis unreachable) fail the future as they are.
   */
  static Future<WorkerLease> acquire(RedisAPI redis, String app, List<Integer> slots, long ttlMs, long horizonTick) {
    String token = UUID.randomUUID().toString();
    return tryFrom(redis, app, slots, 0, token, ttlMs, horizonTick);
  }

  private static Future<WorkerLease> tryFrom(RedisAPI redis, String app, List<Integer> slots, int i, String token,
                                             long ttlMs, long horizonTick) {
    if (i == slots.size()) {
      return Future.failedFuture(new WorkerIdsExhaustedException(app, slots));
    }
    int slot = slots.get(i);
    String key = key(app, slot);
    long sent = System.nanoTime();
    return eval(redis, 5000, ACQUIRE, key, token, Long.toString(ttlMs), Long.toString(horizonTick)).compose(r -> {
      if (r == null) {
        return tryFrom(redis, app, slots, i + 1, token, ttlMs, horizonTick);
      }
      long last = Long.parseLong(r.get(0).toString());
      long ago = Long.parseLong(r.get(1).toString());
      // A previous holder renewed `ago` ms ago and may issue until 2/3 TTL after that: wait for it to stop.
      long waitMs = ago < 0 ? 0 : Math.max(0, ttlMs * 2 / 3 - ago + 50);
      long now = System.nanoTime();
      return Future.succeededFuture(new WorkerLease(redis, key, slot, token, ttlMs, last,
        now + TimeUnit.MILLISECONDS.toNanos(waitMs), sent + TimeUnit.MILLISECONDS.toNanos(ttlMs * 2 / 3)));
    });
  }

  /**
   * Extends the lease and records {@code lastTick} (the holder passes the furthest tick it may reach before the
   * renewal after this one). Succeeds with true while the lease is ours (and moves
   * {@link #valid()} forward), false once it is not; a Redis failure fails the future and changes nothing.
   */
  Future<Boolean> renew(long lastTick) {
    long sent = System.nanoTime();
    return eval(redis, Math.min(5000, ttlMs / 3), RENEW, key, token, Long.toString(ttlMs), Long.toString(lastTick)).map(r -> {
      boolean ours = r != null && r.toLong() == 1;
      if (ours) {
        validUntilNanos = Math.max(validUntilNanos, sent + TimeUnit.MILLISECONDS.toNanos(ttlMs * 2 / 3));
      } else {
        validUntilNanos = 0;
      }
      return ours;
    });
  }

  /**
   * Frees the slot if it is still ours, recording {@code lastTick}: the last tick issued, which must be at least
   * {@link #lastTick()} (a generator under this lease starts after it); true if it was ours.
   */
  Future<Boolean> release(long lastTick) {
    validUntilNanos = 0;
    return eval(redis, Math.min(5000, ttlMs / 3), RELEASE, key, token, Long.toString(lastTick)).map(r -> r != null && r.toLong() == 1);
  }

  /**
   * Runs a lease script with a deadline. Renewals and releases get a third of the TTL (at most 5 s): an answer
   * later than that counts as none, as the lease may be gone by then. Acquiring gets 5 s: it holds nothing yet.
   */
  private static Future<Response> eval(RedisAPI redis, long deadlineMs, String script, String key, String... args) {
    List<String> argv = new ArrayList<>(List.of(script, "3", key, key + ":last", key + ":renewed"));
    argv.addAll(List.of(args));
    return redis.eval(argv).timeout(deadlineMs, TimeUnit.MILLISECONDS);
  }

  /** Whether ids may be issued under this lease now. */
  boolean valid() {
    long now = System.nanoTime();
    return now - issueFromNanos >= 0 && validUntilNanos - now > 0;
  }

  /** Nanos (System.nanoTime) until which ids may be issued, unless renewed. */
  long validUntilNanos() {
    return validUntilNanos;
  }

  /** System.nanoTime from which ids may be issued: later than now when a previous holder may still issue. */
  long issueFromNanos() {
    return issueFromNanos;
  }

  int slot() {
    return slot;
  }

  String key() {
    return key;
  }

  long ttlMs() {
    return ttlMs;
  }

  /** The highest tick the slot's previous holders recorded, or -1. */
  long lastTick() {
    return lastTick;
  }
}
