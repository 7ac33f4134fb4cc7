package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringJobMainTest {

  @TempDir Path dir;

  private ScoringJobMain jobWithConfig(String properties) throws Exception {
    Path file = dir.resolve("fraudwatch.properties");
    Files.writeString(file, properties);
    ScoringJobMain job = new ScoringJobMain(Map.of(), new SparkConf(false));
    job.configFile = file;
    return job;
  }

  @Test
  void readsTheLaunchersConfigFileSkippingTheKeysOfOtherCommands() throws Exception {
    ScoringJobMain job =
        jobWithConfig(
            """
            kafka.bootstrap=broker:9092
            jdbc.url=jdbc:postgresql://db/fraudwatch
            dashboard.port=8081
            embedded.kafka-port=9092
            jdbc.operator-user=ops
            jdbc.operator-password-file=/etc/fraudwatch/operator.password
            """);

    var settings = job.load(Map.of());

    assertThat(settings.optional("kafka.bootstrap")).contains("broker:9092");
    assertThat(settings.optional("jdbc.url")).contains("jdbc:postgresql://db/fraudwatch");
  }

  @Test
  void stillRefusesAKeyNoCommandKnows() throws Exception {
    ScoringJobMain job = jobWithConfig("kafka.bootstrap=broker:9092\ndashbord.port=8081\n");

    assertThatThrownBy(() -> job.load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dashbord.port: unknown key");
  }

  @Test
  void refusesAnotherCommandsKeyGivenAsASparkProperty() throws Exception {
    ScoringJobMain job = jobWithConfig("kafka.bootstrap=broker:9092\n");

    assertThatThrownBy(() -> job.load(Map.of("dashboard.port", "8081")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "dashboard.port: unknown key (from Spark property spark.fraudwatch.dashboard.port)");
  }

  @Test
  void listsTheLaunchersKeysWithTheirSecrets() {
    assertThat(ScoringJobMain.PRODUCT_KEYS)
        .extracting(k -> k.name())
        .contains("dashboard.port", "work-dir", "kafka.bootstrap", "jdbc.operator-password");
    assertThat(ScoringJobMain.PRODUCT_KEYS)
        .filteredOn(k -> k.name().equals("jdbc.operator-password"))
        .singleElement()
        .matches(k -> k.secret());
  }
}
