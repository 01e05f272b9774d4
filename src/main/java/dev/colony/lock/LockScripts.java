package dev.colony.lock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Lua scripts of {@link RedisLocks}, each in one place, with the SHA-1 that EVALSHA names it by. */
final class LockScripts {

  record Script(String name, String text, String sha) {
    static Script of(String name, String text) {
      return new Script(name, text, sha1(text));
    }
  }

  /**
   * KEYS: lock, fence, waiters. ARGV: owner, ttl ms, waiters-mark ms. Takes a free lock and returns {1, fence}; on
   * a held one marks that someone waits (so the release will publish) and returns {0, the holder's remaining ms}.
   */
  static final Script TAKE = Script.of("take", """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
      return {1, redis.call('INCR', KEYS[2])}
    end
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
    return {0, redis.call('PTTL', KEYS[1])}
    """);

  /** KEYS: lock. ARGV: owner, ttl ms. Compare-and-expire: 1 if the owner holds the lock, else 0. */
  static final Script RENEW = Script.of("renew", """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return 0
    """);

  /**
   * KEYS: lock, waiters. ARGV: owner, release channel, lock name. Compare-and-delete: if the owner holds the lock,
   * deletes it and returns 1, first publishing the name on the channel if someone was marked waiting; else 0.
   */
  static final Script DROP = Script.of("drop", """
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

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
