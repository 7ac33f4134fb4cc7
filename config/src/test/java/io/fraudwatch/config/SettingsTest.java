package io.fraudwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of("jdbc.pool-size", "4", "pool"),
          ConfigKey.of("batch.interval", "1s", "interval"),
          ConfigKey.of("kafka.bootstrap", null, "bootstrap"),
          ConfigKey.secret("jdbc.password", "pw"));

  @TempDir Path dir;

  @Test
  void laterLayersWinDefaultsFileEnvFlags() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("f.properties"),
            "jdbc.pool-size=8\nbatch.interval=2s\nkafka.bootstrap=file:9092\n");

    Settings s =
        Settings.load(
            KEYS,
            Optional.of(file),
            Map.of("FRAUDWATCH_BATCH_INTERVAL", "3s", "FRAUDWATCH_KAFKA_BOOTSTRAP", "env:9092"),
            Map.of("kafka.bootstrap", "flag:9092"));

    assertThat(s.integer("jdbc.pool-size", 1, 64)).isEqualTo(8);
    assertThat(s.origin("jdbc.pool-size")).isEqualTo("file " + file);
    assertThat(s.duration("batch.interval")).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.origin("batch.interval"))
        .isEqualTo("environment variable FRAUDWATCH_BATCH_INTERVAL");
    assertThat(s.string("kafka.bootstrap")).isEqualTo("flag:9092");
  }

  @Test
  void defaultsApplyWhenNothingElseIsSet() {
    Settings s = Settings.load(KEYS, Optional.empty(), Map.of(), Map.of());

    assertThat(s.integer("jdbc.pool-size", 1, 64)).isEqualTo(4);
    assertThat(s.optional("kafka.bootstrap")).isEmpty();
    assertThat(s.secret("jdbc.password")).isEmpty();
  }

  @Test
  void invalidValueNamesKeyValueAndOrigin() {
    Settings s =
        Settings.load(
            KEYS, Optional.empty(), Map.of("FRAUDWATCH_JDBC_POOL_SIZE", "lots"), Map.of());

    assertThatThrownBy(() -> s.integer("jdbc.pool-size", 1, 64))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "jdbc.pool-size: expected an integer from 1 to 64, got 'lots' (from environment variable FRAUDWATCH_JDBC_POOL_SIZE)");
  }

  @Test
  void outOfRangeAndBadDurationAreRefused() {
    Settings s =
        Settings.load(
            KEYS,
            Optional.empty(),
            Map.of(),
            Map.of("jdbc.pool-size", "0", "batch.interval", "soon"));

    assertThatThrownBy(() -> s.integer("jdbc.pool-size", 1, 64))
        .hasMessageContaining("got '0' (from flag --set jdbc.pool-size)");
    assertThatThrownBy(() -> s.duration("batch.interval"))
        .hasMessageStartingWith("batch.interval: expected a duration");
  }

  @Test
  void unknownKeyIsRefusedNotIgnored() {
    assertThatThrownBy(
            () -> Settings.load(KEYS, Optional.empty(), Map.of(), Map.of("jdbc.pool-sise", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("jdbc.pool-sise: unknown key (from flag --set jdbc.pool-sise)");
  }

  @Test
  void aFileMayHoldOtherProgramsKeysButNotTyposAndFlagsMayNot() throws Exception {
    List<ConfigKey> product =
        List.of(
            ConfigKey.of("jdbc.pool-size", "4", "pool"),
            ConfigKey.of("job.name", "scorer", "the job's name"),
            ConfigKey.secret("dashboard.jdbc-password", "the analyst's"));
    Path shared =
        Files.writeString(
            dir.resolve("shared.properties"),
            "jdbc.pool-size=8\njob.name=mine\ndashboard.jdbc-password-file=/etc/analyst\n");
    Path typo = Files.writeString(dir.resolve("typo.properties"), "job.nme=mine\n");

    Settings s = Settings.load(KEYS, Optional.of(shared), Map.of(), Map.of(), product);

    assertThat(s.integer("jdbc.pool-size", 1, 64)).isEqualTo(8);
    assertThatThrownBy(() -> Settings.load(KEYS, Optional.of(shared), Map.of(), Map.of()))
        .hasMessageStartingWith("dashboard.jdbc-password-file: unknown key");
    assertThatThrownBy(() -> Settings.load(KEYS, Optional.of(typo), Map.of(), Map.of(), product))
        .hasMessageStartingWith("job.nme: unknown key (from file " + typo + ")");
    assertThatThrownBy(
            () ->
                Settings.load(
                    KEYS, Optional.empty(), Map.of(), Map.of("job.name", "mine"), product))
        .hasMessageStartingWith("job.name: unknown key (from flag --set job.name)");
  }

  @Test
  void secretInClearOnFlagsOrInFileIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("f.properties"), "jdbc.password=hunter2\n");

    assertThatThrownBy(
            () ->
                Settings.load(KEYS, Optional.empty(), Map.of(), Map.of("jdbc.password", "hunter2")))
        .hasMessageContaining("secrets are not accepted from flag --set jdbc.password")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Settings.load(KEYS, Optional.of(file), Map.of(), Map.of()))
        .hasMessageContaining("secrets are not accepted from file")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void secretFromFileOrEnvironmentIsRedactedInToString() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "hunter2\n");

    Settings fromFile =
        Settings.load(
            KEYS, Optional.empty(), Map.of(), Map.of("jdbc.password-file", pw.toString()));
    Settings fromEnv =
        Settings.load(
            KEYS, Optional.empty(), Map.of("FRAUDWATCH_JDBC_PASSWORD", "s3cret"), Map.of());

    assertThat(fromFile.secret("jdbc.password"))
        .get()
        .extracting(Secret::reveal)
        .isEqualTo("hunter2");
    assertThat(fromEnv.secret("jdbc.password"))
        .get()
        .extracting(Secret::reveal)
        .isEqualTo("s3cret");
    assertThat(fromFile.secret("jdbc.password").get().toString()).doesNotContain("hunter2");
    assertThat(String.join("\n", fromEnv.describe()))
        .doesNotContain("s3cret")
        .contains("FRAUDWATCH_JDBC_PASSWORD");
  }

  @Test
  void missingSecretFileIsAClearError() {
    Settings s =
        Settings.load(
            KEYS,
            Optional.empty(),
            Map.of("FRAUDWATCH_JDBC_PASSWORD_FILE", "/nonexistent/pw"),
            Map.of());

    assertThatThrownBy(() -> s.secret("jdbc.password"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jdbc.password-file: cannot read secret file /nonexistent/pw");
  }

  @Test
  void durationsInOperatorForm() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void databaseSettingsRefuseNonPostgresUrl() {
    Settings s =
        Settings.load(
            DatabaseSettings.KEYS,
            Optional.empty(),
            Map.of("FRAUDWATCH_JDBC_URL", "jdbc:mysql://x/y"),
            Map.of());

    assertThatThrownBy(() -> DatabaseSettings.from(s))
        .hasMessageStartingWith("jdbc.url: expected a jdbc:postgresql: URL");
  }
}
