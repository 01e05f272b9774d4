package dev.colony.lock;

import dev.colony.redis.LuaScript;

/** The Lua scripts of {@link RedisLocks}, each in one place. */
final class LockScripts {

  /**
   * KEYS: lock, fence, waiters. ARGV: owner, ttl ms, waiters-mark ms. Takes a free lock and returns {1, fence}; on
   * a held one marks that someone waits (so the release will publish) and returns {0, the holder's remaining ms}.
   */
  static final LuaScript TAKE = LuaScript.of("take", """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
      return {1, redis.call('INCR', KEYS[2])}
    end
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
    return {0, redis.call('PTTL', KEYS[1])}
    """);

  /** KEYS: lock. ARGV: owner, ttl ms. Compare-and-expire: 1 if the owner holds the lock, else 0. */
  static final LuaScript RENEW = LuaScript.of("renew", """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return 0
    """);

  /**
   * KEYS: lock, waiters. ARGV: owner, release channel, lock name. Compare-and-delete: if the owner holds the lock,
   * deletes it and returns 1, first publishing the name on the channel if someone was marked waiting; else 0.
   */
  static final LuaScript DROP = LuaScript.of("drop", """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      redis.call('DEL', KEYS[1])
      if redis.call('DEL', KEYS[2]) == 1 then
        redis.call('PUBLISH', ARGV[2], ARGV[3])
      end
      return 1
    end
    return 0
    """);

  private LockScripts() {
  }
}
