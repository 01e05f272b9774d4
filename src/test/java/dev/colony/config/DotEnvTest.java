package dev.colony.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvTest {

  @Test
  void parsesCommentsExportsAndQuotes() {
    Map<String, String> vars = DotEnv.parse(List.of(
      "# a comment",
      "",
      "APP_PORT=13001",
      "export APP_NAME=demo",
      "APP_KEY=\"with # hash\"",
      "DB_PASSWORD='single'",
      "LOGGER_LEVEL=debug # trailing comment",
      "not a variable"));
    assertThat(vars).containsExactly(
      Map.entry("APP_PORT", "13001"),
      Map.entry("APP_NAME", "demo"),
      Map.entry("APP_KEY", "with # hash"),
      Map.entry("DB_PASSWORD", "single"),
      Map.entry("LOGGER_LEVEL", "debug"));
  }

  @Test
  void environmentWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(".env");
    Files.writeString(file, "APP_PORT=1\nAPP_NAME=fromfile\n");
    Map<String, String> merged = DotEnv.merge(file, Map.of("APP_PORT", "2"));
    assertThat(merged).containsEntry("APP_PORT", "2").containsEntry("APP_NAME", "fromfile");
  }

  @Test
  void missingFileIsFine(@TempDir Path dir) {
    assertThat(DotEnv.merge(dir.resolve(".env"), Map.of("A", "1"))).containsOnly(Map.entry("A", "1"));
  }
}
