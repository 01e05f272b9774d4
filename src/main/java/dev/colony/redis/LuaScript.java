package dev.colony.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and the SHA-1 that EVALSHA names it by. Each part keeps its scripts as constants of this type in
 * one class ({@code LockScripts}, {@code QueueScripts}, {@code BloomScripts}); {@link RedisLink#eval} runs them.
 */
public record LuaScript(String name, String text, String sha) {

  public static LuaScript of(String name, String text) {
    try {
      return new LuaScript(name, text, HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
