package dev.colony.queue;

import dev.colony.redis.LuaScript;

/**
 * The Lua scripts of {@link RedisStreamQueue}, each in one place. A stream entry's fields are {@code id} (message
 * id), {@code p} (payload JSON), {@code t} (published at, epoch ms), {@code a} (deliveries already made before this
 * entry was added: retries re-add the message) and optionally {@code r} (the publisher's maxRetries). A member of
 * the delayed sorted set is those fields as a JSON array of strings, scored by its due time in epoch ms.
 */
final class QueueScripts {

  /**
   * KEYS: delayed, stream. ARGV: now ms, limit. Moves up to {@code limit} due members to the stream (XADD, then
   * ZREM, atomically) and returns how many it moved.
   */
  static final LuaScript MOVE_DUE = LuaScript.of("moveDue", """
    local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
    for _, m in ipairs(due) do
      redis.call('XADD', KEYS[2], '*', unpack(cjson.decode(m)))
      redis.call('ZREM', KEYS[1], m)
    end
    return #due
    """);

  /**
   * KEYS: stream, delayed. ARGV: group, stream entry id, due ms, member. Acknowledges the entry and schedules the
   * member; does nothing and returns 0 if the entry was already acknowledged (a duplicate delivery settled it).
   */
  static final LuaScript RETRY = LuaScript.of("retry", """
    if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
      return 0
    end
    redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
    return 1
    """);

  /**
   * KEYS: stream, dead, dead index. ARGV: group, stream entry id, message id, then the dead entry's field/value
   * pairs. Acknowledges the entry, appends the dead letter and indexes it by message id (replacing an older dead
   * letter of the same message); returns 0 without doing anything if the entry was already acknowledged.
   */
  static final LuaScript DEAD = LuaScript.of("dead", """
    if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
      return 0
    end
    local old = redis.call('HGET', KEYS[3], ARGV[3])
    if old then
      redis.call('XDEL', KEYS[2], old)
    end
    local did = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
    redis.call('HSET', KEYS[3], ARGV[3], did)
    return 1
    """);

  /**
   * KEYS: stream, dead, dead index. ARGV: message id. Moves the dead letter back onto the stream with {@code a} = 0
   * (a fresh attempt count); returns 1, or 0 if there is no such dead letter.
   */
  static final LuaScript REQUEUE = LuaScript.of("requeue", """
    local did = redis.call('HGET', KEYS[3], ARGV[1])
    if not did then
      return 0
    end
    redis.call('HDEL', KEYS[3], ARGV[1])
    local e = redis.call('XRANGE', KEYS[2], did, did)
    if #e == 0 then
      return 0
    end
    local f = e[1][2]
    local out = {}
    for i = 1, #f, 2 do
      local k = f[i]
      if k == 'id' or k == 'p' or k == 't' or k == 'r' then
        out[#out + 1] = k
        out[#out + 1] = f[i + 1]
      end
    end
    out[#out + 1] = 'a'
    out[#out + 1] = '0'
    redis.call('XADD', KEYS[1], '*', unpack(out))
    redis.call('XDEL', KEYS[2], did)
    return 1
    """);

  /**
   * KEYS: stream. ARGV: group, consumer, min idle ms, count, start id. XAUTOCLAIM of up to {@code count} entries
   * pending longer than {@code min idle} (their consumer died, or lost the connection), scanning the pending list
   * from {@code start id}. Returns {next start id ("0-0" once the scan wrapped), {{id, fields, delivery count
   * including this claim}, ...}}.
   */
  static final LuaScript CLAIM = LuaScript.of("claim", """
    local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[5], 'COUNT', tonumber(ARGV[4]))
    local out = {}
    for _, e in ipairs(r[2]) do
      if e and e[2] then
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
        local n = 1
        if p[1] then
          n = p[1][4]
        end
        out[#out + 1] = {e[1], e[2], n}
      end
    end
    return {r[1], out}
    """);

  /**
   * KEYS: stream. ARGV: group, idle ms after which a consumer with nothing pending is removed. Trims the stream
   * below the oldest entry that may still be needed: the group's oldest pending entry, or else its last delivered
   * entry; everything below both was delivered and acknowledged. Entries never delivered lie above the last
   * delivered id, so they are never trimmed; without the group nothing is trimmed. Returns the number trimmed, or
   * -1 when there is no group.
   */
  static final LuaScript TRIM = LuaScript.of("trim", """
    local function lt(a, b)
      local am, as = string.match(a, '(%d+)-(%d+)')
      local bm, bs = string.match(b, '(%d+)-(%d+)')
      am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
      return am < bm or (am == bm and as < bs)
    end
    if redis.call('EXISTS', KEYS[1]) == 0 then
      return -1
    end
    local last
    for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
      local name, id
      for i = 1, #g, 2 do
        if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then id = g[i + 1] end
      end
      if name == ARGV[1] then last = id end
    end
    if not last then
      return -1
    end
    local min = last
    local p = redis.call('XPENDING', KEYS[1], ARGV[1])
    if p[2] and lt(p[2], min) then
      min = p[2]
    end
    for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
      local name, pending, idle
      for i = 1, #c, 2 do
        if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1]
        elseif c[i] == 'idle' then idle = c[i + 1] end
      end
      if pending == 0 and idle > tonumber(ARGV[2]) then
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
      end
    end
    return redis.call('XTRIM', KEYS[1], 'MINID', min)
    """);

  private QueueScripts() {
  }
}
