package dev.colony.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented variable list, the example env files and the README agree with what the loader reads. */
class ExampleFilesTest {

  private static final Pattern LISTED = Pattern.compile("(?m)^#?([A-Z][A-Z0-9_]+)=");

  @Test
  void loaderReadsExactlyTheDocumentedVariables() {
    EnvReader r = new EnvReader(Map.of("WORKER_ID", "1"));
    ConfigLoader.load(r, 2);
    assertThat(r.read).containsExactlyInAnyOrderElementsOf(ConfigLoader.VARIABLES);
  }

  @Test
  void clusterExampleStartsAClusteredNode() {
    ColonyConfig c = ConfigLoader.load(DotEnv.read(Path.of("config/cluster.env")), 2);
    assertThat(c.clustered()).isTrue();
    assertThat(ConfigLoader.missingSharedParts(c)).isEmpty();
  }

  @Test
  void singleNodeExampleIsNotClustered() {
    assertThat(ConfigLoader.load(DotEnv.read(Path.of("config/single-node.env")), 2).clustered()).isFalse();
  }

  @Test
  void exampleFilesAndReadmeListEveryVariable() throws Exception {
    for (String file : new String[] {"config/single-node.env", "config/cluster.env"}) {
      Set<String> listed = new TreeSet<>();
      Matcher m = LISTED.matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        listed.add(m.group(1));
      }
      assertThat(listed).as(file).containsExactlyInAnyOrderElementsOf(ConfigLoader.VARIABLES);
    }
    String readme = Files.readString(Path.of("README.md"));
    assertThat(ConfigLoader.VARIABLES).allSatisfy(v -> assertThat(readme).contains("`" + v + "`"));
  }
}
