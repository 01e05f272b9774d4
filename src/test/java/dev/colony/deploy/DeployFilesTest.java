package dev.colony.deploy;

import dev.colony.config.ColonyConfig;
import dev.colony.config.ConfigLoader;
import dev.colony.testing.NginxConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose and Kubernetes files cannot run here (no Docker engine, no cluster), so they are parsed: every
 * variable they give a node must be one Colony reads, and together they must make a complete cluster-mode node
 * (the config loader accepts them with no missing shared part).
 */
class DeployFilesTest {

  private static final Path COMPOSE = Path.of("deploy/compose");
  private static final Path K8S = Path.of("deploy/k8s");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?}");

  @Test
  void composeNodesSetOnlyKnownVariablesAndAreCompleteClusterNodes() throws IOException {
    Map<String, Object> compose = yaml(COMPOSE.resolve("docker-compose.yml"));
    Map<String, String> dotEnv = dotEnv(COMPOSE.resolve(".env"));
    Map<String, Map<String, Object>> nodes = nodes(compose);
    assertThat(nodes).hasSize(3);
    for (var e : nodes.entrySet()) {
      Map<String, String> env = new HashMap<>();
      map(e.getValue().get("environment")).forEach((k, v) -> env.put(k, interpolate(String.valueOf(v), dotEnv)));
      assertThat(env.keySet()).as(e.getKey() + " environment").isSubsetOf(ConfigLoader.VARIABLES);
      ColonyConfig config = ConfigLoader.load(env, 2);
      assertThat(config.clustered()).isTrue();
      assertThat(ConfigLoader.missingSharedParts(config)).as(e.getKey()).isEmpty();
      assertThat(e.getValue().get("image")).isEqualTo(nodes.values().iterator().next().get("image"));
      assertThat(String.valueOf(map(e.getValue().get("healthcheck")).get("test"))).contains("/api/__health_check");
      assertThat(list(e.getValue().get("volumes"))).contains("storage:" + config.storagePath());
      long grace = seconds(String.valueOf(e.getValue().get("stop_grace_period")));
      assertThat(grace * 1000).isGreaterThan(config.shutdown().drainMs() + config.shutdown().timeoutMs());
    }
    Map<String, Object> services = map(compose.get("services"));
    assertThat(String.valueOf(map(services.get("redis")).get("image"))).startsWith("redis:8");
    assertThat(String.valueOf(map(services.get("rabbitmq")).get("image"))).startsWith("rabbitmq:4");
    assertThat(String.valueOf(map(services.get("postgres")).get("image"))).startsWith("postgres");
    assertThat(map(compose.get("volumes"))).containsKey("storage");
    assertThat(Files.readString(COMPOSE.resolve("Dockerfile")))
      .contains("FROM eclipse-temurin:17-jre", "COPY target/colony.jar");
  }

  @Test
  void composeNginxIsTheShippedConfigForTheComposeNodes() throws IOException {
    Map<String, Object> nginx = map(map(yaml(COMPOSE.resolve("docker-compose.yml")).get("services")).get("nginx"));
    assertThat(list(nginx.get("volumes"))).anyMatch(v -> String.valueOf(v).startsWith("./nginx/colony.conf:"));
    String expected = NginxConfig.forPool(NginxConfig.shipped(),
      List.of("node1:13000", "node2:13000", "node3:13000"), "80");
    assertThat(Files.readString(COMPOSE.resolve("nginx/colony.conf"))).isEqualTo(expected);
  }

  @Test
  void shippedNginxConfigRetriesOnlyWhatNginxRetriesByDefault() throws IOException {
    String conf = NginxConfig.shipped().replaceAll("(?m)#.*$", "");
    assertThat(conf).contains("proxy_next_upstream error timeout http_502 http_503;", "max_fails=", "fail_timeout=",
      "keepalive ", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
      "proxy_set_header X-Request-Id $request_id;", "client_max_body_size 10m;");
    assertThat(conf).doesNotContain("non_idempotent");
    assertThat(ConfigLoader.load(Map.of(), 2).http().bodyLimit()).isEqualTo(10L << 20);
  }

  @Test
  void kubernetesPodsGetOnlyKnownVariablesAndAreCompleteClusterNodes() throws IOException {
    Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
    try (var files = Files.list(K8S)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(f))) {
          Map<String, Object> m = map(doc);
          byKind.put(String.valueOf(m.get("kind")), m);
        }
      }
    }
    assertThat(byKind).containsKeys("Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim");
    Map<String, String> env = new HashMap<>();
    map(byKind.get("ConfigMap").get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
    map(byKind.get("Secret").get("stringData")).forEach((k, v) -> env.put(k, String.valueOf(v)));
    assertThat(env.keySet()).isSubsetOf(ConfigLoader.VARIABLES);
    ColonyConfig config = ConfigLoader.load(env, 2);
    assertThat(config.clustered()).isTrue();
    assertThat(ConfigLoader.missingSharedParts(config)).isEmpty();

    Map<String, Object> pod = map(map(map(byKind.get("Deployment").get("spec")).get("template")).get("spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    assertThat(path(container, "readinessProbe")).isEqualTo("/health/ready");
    assertThat(path(container, "livenessProbe")).isEqualTo("/health/live");
    assertThat(String.valueOf(container.get("envFrom"))).contains("configMapRef", "secretRef");
    List<Object> preStop = list(map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command"));
    long preStopMs = preStop.get(0).equals("sleep") ? Long.parseLong(String.valueOf(preStop.get(1))) * 1000 : 0;
    long graceMs = ((Number) pod.get("terminationGracePeriodSeconds")).longValue() * 1000;
    assertThat(graceMs).isGreaterThan(preStopMs + config.shutdown().drainMs() + config.shutdown().timeoutMs());
    assertThat(String.valueOf(container.get("volumeMounts"))).contains("mountPath=" + config.storagePath());
    assertThat(list(map(byKind.get("PersistentVolumeClaim").get("spec")).get("accessModes")))
      .containsExactly("ReadWriteMany");
    int containerPort = ((Number) map(list(container.get("ports")).get(0)).get("containerPort")).intValue();
    assertThat(containerPort).isEqualTo(config.http().port());
  }

  private static String path(Map<String, Object> container, String probe) {
    return String.valueOf(map(map(container.get(probe)).get("httpGet")).get("path"));
  }

  /** The services built from the Colony image: those with a build section. */
  private static Map<String, Map<String, Object>> nodes(Map<String, Object> compose) {
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    map(compose.get("services")).forEach((name, s) -> {
      if (map(s).containsKey("build")) {
        nodes.put(name, map(s));
      }
    });
    return nodes;
  }

  /** Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} from the .env file; a missing variable fails. */
  private static String interpolate(String value, Map<String, String> env) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      assertThat(v).as("${" + m.group(1) + "} in .env").isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }

  private static Map<String, String> dotEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return env;
  }

  private static long seconds(String duration) {
    assertThat(duration).matches("\\d+s");
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return map(new Yaml().load(Files.readString(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return new ArrayList<>((List<Object>) o);
  }
}
