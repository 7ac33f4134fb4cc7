package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is written from the keys: it fails when a key changed and the page was not
 * written again.
 */
class ConfigReferenceTest {
  private static final Path PAGE =
      Path.of(System.getProperty("user.dir")).resolve("../docs/configuration.md");
  private static final Path JOB_KEYS =
      Path.of(System.getProperty("user.dir"))
          .resolve("../scoring-job/src/main/resources/io/fraudwatch/scoring/job")
          .resolve(io.fraudwatch.scoring.job.ScoringJobMain.PRODUCT_KEYS_RESOURCE);

  @Test
  void theConfigurationPageIsWhatTheKeysSay() throws Exception {
    String expected = ConfigReference.markdown();
    if (Boolean.getBoolean("fraudwatch.write-docs")) {
      Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(PAGE))
        .as(
            "docs/configuration.md is out of date; write it again with: mvn -pl app -am"
                + " test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dfraudwatch.write-docs=true")
        .isEqualTo(expected);
  }

  @Test
  void theJobJarListsEveryKeyOfTheProduct() throws Exception {
    String expected = ConfigReference.productKeyNames();
    if (Boolean.getBoolean("fraudwatch.write-docs")) {
      Files.writeString(JOB_KEYS, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(JOB_KEYS))
        .as(
            JOB_KEYS
                + " is out of date; write it again with: mvn -pl app -am"
                + " test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dfraudwatch.write-docs=true")
        .isEqualTo(expected);
  }
}
