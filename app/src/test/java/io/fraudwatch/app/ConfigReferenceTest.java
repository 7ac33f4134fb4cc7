package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the job jar's list of the product's keys are written from the keys: it
 * fails when a key changed and they were not written again.
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
    assertWrittenFrom(ConfigReference.markdown(), PAGE);
  }

  @Test
  void theJobJarListsEveryKeyOfTheProduct() throws Exception {
    assertWrittenFrom(ConfigReference.productKeyNames(), JOB_KEYS);
  }

  /** {@code file} holds {@code expected}; -Dfraudwatch.write-docs=true writes it first. */
  private static void assertWrittenFrom(String expected, Path file) throws Exception {
    if (Boolean.getBoolean("fraudwatch.write-docs")) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file))
        .as(
            file
                + " is out of date; write it again with: mvn -pl app -am"
                + " test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dfraudwatch.write-docs=true")
        .isEqualTo(expected);
  }
}
