package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScenarioManifestTest {
  @Test
  void theManifestSitsBesideTheFileWithoutItsCsvAndGzipExtensions() {
    assertThat(ScenarioManifest.pathFor(Path.of("/data/d.csv.gz")))
        .isEqualTo(Path.of("/data/d.scenario.json"));
    assertThat(ScenarioManifest.pathFor(Path.of("d.csv"))).isEqualTo(Path.of("d.scenario.json"));
    assertThat(ScenarioManifest.pathFor(Path.of("d.gz"))).isEqualTo(Path.of("d.scenario.json"));
    assertThat(ScenarioManifest.pathFor(Path.of("dir/d")))
        .isEqualTo(Path.of("dir/d.scenario.json"));
    // a name that is only an extension keeps it
    assertThat(ScenarioManifest.pathFor(Path.of(".csv"))).isEqualTo(Path.of(".csv.scenario.json"));
    assertThat(ScenarioManifest.pathFor(Path.of("x.tsv")))
        .isEqualTo(Path.of("x.tsv.scenario.json"));
  }
}
