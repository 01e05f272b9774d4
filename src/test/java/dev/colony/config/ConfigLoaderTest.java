package dev.colony.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

  private static final Map<String, String> FULL_CLUSTER = Map.of(
    "APP_KEY", "k3y",
    "CACHE_DEFAULT_STORE", "redis",
    "LOCK_ADAPTER_DEFAULT", "redis",
    "QUEUE_ADAPTER", "rabbitmq",
    "REDIS_URL", "redis://localhost:6379/4",
    "DB_DIALECT", "postgres");

  private static ColonyConfig load(Map<String, String> env) {
    return ConfigLoader.load(env, 2);
  }

  @Test
  void emptyEnvironmentGivesEmbeddedDefaults() {
    ColonyConfig c = load(Map.of());
    assertThat(c.appName()).isEqualTo("main");
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
    assertThat(c.http().port()).isEqualTo(13000);
    assertThat(c.http().instances()).isEqualTo(1);
    assertThat(c.http().accessLog()).isTrue();
    assertThat(c.workerMode().serveApi()).isTrue();
    assertThat(c.workerMode().allTopics()).isTrue();
    assertThat(c.storagePath()).isEqualTo(Path.of("./storage"));
    assertThat(c.db().dialect()).isEqualTo("sqlite");
    assertThat(c.db().sqliteFile()).isEqualTo(Path.of("./storage/db/colony.sqlite"));
    assertThat(c.cache().store()).isEqualTo("memory");
    assertThat(c.cache().memoryMax()).isEqualTo(2000);
    assertThat(c.signals().redisUrl()).isEmpty();
    assertThat(c.signals().streamMaxLen()).isEqualTo(100_000);
    assertThat(c.locks().adapter()).isEqualTo("local");
    assertThat(c.queue().adapter()).isEqualTo("memory");
    assertThat(c.queue().rabbitmqUrl().value()).isEqualTo("amqp://guest:guest@localhost:5672");
    assertThat(c.ids().layout()).isEqualTo("nocobase");
    assertThat(c.ids().maxBorrowMs()).isEqualTo(2000);
    assertThat(c.ids().leaseTtlMs()).isEqualTo(30_000);
    assertThat(c.ids().workerId()).isEmpty();
    assertThat(c.shutdown().drainMs()).isEqualTo(5000);
    assertThat(c.clustered()).isFalse();
  }

  @ParameterizedTest(name = "CLUSTER_MODE={0} -> {1} instances")
  @CsvSource({"'',1", "1,1", "3,3", "max,2", "MAX,2"})
  void clusterModeSetsHttpInstances(String value, int instances) {
    assertThat(load(Map.of("CLUSTER_MODE", value)).http().instances()).isEqualTo(instances);
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
    "APP_PORT, abc, 'expected an integer from 0 to 65535'",
    "APP_PORT, 70000, 'expected an integer from 0 to 65535'",
    "CLUSTER_MODE, many, 'expected empty (1 instance), a number from 1 to 1024, or max'",
    "CLUSTER_MODE, 0, 'expected empty (1 instance), a number from 1 to 1024, or max'",
    "QUEUE_ADAPTER, kafka, 'expected one of memory, redis, rabbitmq'",
    "CACHE_DEFAULT_STORE, memcached, 'expected one of memory, redis'",
    "LOCK_ADAPTER_DEFAULT, zookeeper, 'expected one of local, redis'",
    "DB_DIALECT, mysql, 'expected one of sqlite, postgres'",
    "ID_LAYOUT, uuid, 'expected one of nocobase, snowflake'",
    "WORKER_ID, 32, 'expected an integer from 0 to 31'",
    "WORKER_ID, -1, 'expected an integer from 0 to 31'",
    "CACHE_MEMORY_MAX, 0, 'expected an integer from 1 to 10000000'",
    "SHUTDOWN_DRAIN_MS, -5, 'expected an integer from 0 to 600000'",
    "ACCESS_LOG, maybe, 'expected true or false'",
    "HTTP_BODY_LIMIT, 10x, 'expected a size from 1024 to 1073741824 bytes'",
    "WORKER_MODE, 'a b', 'expected empty, ''!'', ''*'', or a comma-separated list'",
    "APP_NAME, 'my app', 'expected 1 to 64 letters'",
    "LOGGER_LEVEL, loud, 'expected one of trace, debug, info, warn, error'",
    "PUBSUB_ADAPTER_REDIS_URL, localhost:6379, 'expected a URL like redis://'",
    "QUEUE_ADAPTER_RABBITMQ_URL, 'redis://x:1', 'expected a URL like amqp://'",
  })
  void badValueIsNamedWithWhatIsAllowed(String name, String value, String allowed) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of(name, value)));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).startsWith(name + "=\"" + value + "\": ").contains(allowed);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
      () -> load(Map.of("QUEUE_ADAPTER", "kafka", "APP_PORT", "abc")));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage())
      .contains("2 configuration problems")
      .contains("QUEUE_ADAPTER=\"kafka\"")
      .contains("APP_PORT=\"abc\"");
  }

  @Test
  void workerIdRangeFollowsTheLayout() {
    assertThat(load(Map.of("ID_LAYOUT", "snowflake", "WORKER_ID", "1023")).ids().workerId()).hasValue(1023);
    assertThat(load(Map.of("WORKER_ID", "0")).ids().workerId()).hasValue(0);
    assertThat(load(Map.of("ID_LAYOUT", "snowflake")).ids().maxBorrowMs()).isEqualTo(1000);
  }

  @Test
  void halfConfiguredClusterNamesEveryMissingPart() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
      () -> load(Map.of("LOCK_ADAPTER_DEFAULT", "redis")));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage()).contains("Cluster mode is on (LOCK_ADAPTER_DEFAULT=redis)");
    assertThat(String.join("\n", e.problems()))
      .contains("CACHE_DEFAULT_STORE=\"memory\"")
      .contains("QUEUE_ADAPTER=\"memory\"")
      .contains("REDIS_URL=\"\"")
      .contains("DB_DIALECT=\"sqlite\"")
      .contains("APP_KEY=\"\"")
      .doesNotContain("LOCK_ADAPTER_DEFAULT=\"");
  }

  @Test
  void completeClusterStartsWithSignalsOnRedis() {
    ColonyConfig c = load(FULL_CLUSTER);
    assertThat(c.clustered()).isTrue();
    assertThat(c.signals().redisUrl()).map(ServiceUrl::value).hasValue("redis://localhost:6379/0");
    assertThat(c.cache().redisUrl()).map(ServiceUrl::value).hasValue("redis://localhost:6379/4");
    assertThat(ConfigLoader.missingSharedParts(c)).isEmpty();
  }

  @Test
  void clusterAllowPartialOverridesTheCheck() {
    ColonyConfig c = load(Map.of("REDIS_URL", "redis://localhost:6379", "CLUSTER_ALLOW_PARTIAL", "true"));
    assertThat(c.clustered()).isTrue();
    assertThat(ConfigLoader.missingSharedParts(c)).hasSize(5);
  }

  @Test
  void cacheOnRedisNeedsAUrl() {
    Map<String, String> env = new HashMap<>(FULL_CLUSTER);
    env.remove("REDIS_URL");
    env.put("CLUSTER_ALLOW_PARTIAL", "true");
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("CACHE_DEFAULT_STORE=redis needs CACHE_REDIS_URL or REDIS_URL");
  }

  @Test
  void passwordsNeverAppearInProblemsOrToString() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
      () -> load(Map.of("CACHE_REDIS_URL", "http://user:s3cret@host:6379")));
    assertThat(e.getMessage()).doesNotContain("s3cret").contains("http://user:***@host:6379");

    Map<String, String> env = new HashMap<>(FULL_CLUSTER);
    env.put("REDIS_URL", "redis://:s3cret@localhost:6379/4");
    env.put("QUEUE_ADAPTER_RABBITMQ_URL", "amqp://colony:s3cret@mq:5672");
    env.put("DB_PASSWORD", "s3cret");
    env.put("APP_KEY", "s3cret");
    ColonyConfig c = load(env);
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThat(c.ids().redisUrl().orElseThrow().value()).isEqualTo("redis://:s3cret@localhost:6379/4");
  }

  @Test
  void bodyLimitTakesSuffixes() {
    assertThat(load(Map.of("HTTP_BODY_LIMIT", "512k")).http().bodyLimit()).isEqualTo(512 * 1024);
    assertThat(load(Map.of("HTTP_BODY_LIMIT", "2m")).http().bodyLimit()).isEqualTo(2 << 20);
  }
}
