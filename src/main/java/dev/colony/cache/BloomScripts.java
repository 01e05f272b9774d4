package dev.colony.cache;

import dev.colony.redis.LuaScript;

/**
 * The Lua scripts of {@link RedisBloomFilters}, each in one place. Every filter has a meta hash
 * {@code <app>:bloom:<name>:meta} (errorRate, capacity, bits, hashes, kind) beside its data at
 * {@code <app>:bloom:<name>}: a bitmap (kind {@code bitmap}), or a RedisBloom filter (kind {@code redisbloom}).
 * Operations check the meta hash in the same script, so an unknown name fails ({@code COLONY_BLOOM_UNKNOWN}) instead of creating a filter, and positions computed for another shape are refused
 * ({@code COLONY_BLOOM_SHAPE}) instead of setting the wrong bits.
 */
final class BloomScripts {

  static final String UNKNOWN = "COLONY_BLOOM_UNKNOWN";
  static final String SHAPE = "COLONY_BLOOM_SHAPE";

  /**
   * KEYS: meta, data. ARGV: errorRate, capacity, bits, hashes, kind. Creates the filter and returns {0}; if it
   * exists returns {1, errorRate, capacity, bits, hashes, kind} as stored, changing nothing. Data left at the
   * filter's key without a meta hash is not a filter: it is replaced.
   */
  static final LuaScript RESERVE = LuaScript.of("bloom-reserve", """
    local m = redis.call('HMGET', KEYS[1], 'errorRate', 'capacity', 'bits', 'hashes', 'kind')
    if m[1] then
      return {1, m[1], m[2], m[3], m[4], m[5] or 'bitmap'}
    end
    redis.call('DEL', KEYS[2])
    if ARGV[5] == 'redisbloom' then
      redis.call('BF.RESERVE', KEYS[2], ARGV[1], ARGV[2])
    end
    redis.call('HSET', KEYS[1], 'errorRate', ARGV[1], 'capacity', ARGV[2], 'bits', ARGV[3], 'hashes', ARGV[4],
      'kind', ARGV[5])
    return {0}
    """);

  /**
   * KEYS: bitmap, meta. ARGV: bits, hashes, then hashes positions per item. Sets the bits; returns per item 1 if
   * one of its bits was clear (certainly new), else 0.
   */
  static final LuaScript BITMAP_ADD = LuaScript.of("bloom-bitmap-add", """
    local meta = redis.call('HMGET', KEYS[2], 'bits', 'hashes')
    if not meta[1] then
      return redis.error_reply('COLONY_BLOOM_UNKNOWN')
    end
    if meta[1] ~= ARGV[1] or meta[2] ~= ARGV[2] then
      return redis.error_reply('COLONY_BLOOM_SHAPE')
    end
    local k = tonumber(ARGV[2])
    local out = {}
    for i = 3, #ARGV, k do
      local fresh = 0
      for j = i, i + k - 1 do
        if redis.call('SETBIT', KEYS[1], ARGV[j], 1) == 0 then
          fresh = 1
        end
      end
      out[#out + 1] = fresh
    end
    return out
    """);

  /**
   * KEYS: bitmap, meta. ARGV: bits, hashes, then hashes positions per item. Returns per item 1 if all its bits are
   * set, else 0.
   */
  static final LuaScript BITMAP_EXISTS = LuaScript.of("bloom-bitmap-exists", """
    local meta = redis.call('HMGET', KEYS[2], 'bits', 'hashes')
    if not meta[1] then
      return redis.error_reply('COLONY_BLOOM_UNKNOWN')
    end
    if meta[1] ~= ARGV[1] or meta[2] ~= ARGV[2] then
      return redis.error_reply('COLONY_BLOOM_SHAPE')
    end
    local k = tonumber(ARGV[2])
    local out = {}
    for i = 3, #ARGV, k do
      local all = 1
      for j = i, i + k - 1 do
        if redis.call('GETBIT', KEYS[1], ARGV[j]) == 0 then
          all = 0
          break
        end
      end
      out[#out + 1] = all
    end
    return out
    """);

  /** KEYS: filter, meta. ARGV: items. BF.MADD if the filter was reserved. */
  static final LuaScript BF_ADD = LuaScript.of("bloom-bf-add", """
    if redis.call('EXISTS', KEYS[2]) == 0 then
      return redis.error_reply('COLONY_BLOOM_UNKNOWN')
    end
    return redis.call('BF.MADD', KEYS[1], unpack(ARGV))
    """);

  /** KEYS: filter, meta. ARGV: items. BF.MEXISTS if the filter was reserved. */
  static final LuaScript BF_EXISTS = LuaScript.of("bloom-bf-exists", """
    if redis.call('EXISTS', KEYS[2]) == 0 then
      return redis.error_reply('COLONY_BLOOM_UNKNOWN')
    end
    return redis.call('BF.MEXISTS', KEYS[1], unpack(ARGV))
    """);

  private BloomScripts() {
  }
}
