package io.fraudwatch.app.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.ScoringJobMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitPlanTest {
  @TempDir Path dir;
  private Path jar;
  private Path password;

  @BeforeEach
  void files() throws Exception {
    jar = Files.writeString(dir.resolve("fraudwatch-job-1.0.jar"), "jar");
    password = Files.writeString(dir.resolve("job.password"), "s3cret-canary");
  }

  private Settings settings(Map<String, String> flags, Map<String, String> env) {
    Map<String, String> all =
        new LinkedHashMap<>(
            Map.of("kafka.bootstrap", "k1:9092", "jdbc.url", "jdbc:postgresql://db:5432/fw"));
    all.putAll(flags);
    return Settings.load(ScoringJobMain.KEYS, Optional.empty(), env, all);
  }

  private SubmitPlan plan(
      String master, SubmitPlan.DeployMode mode, boolean supervise, Settings s) {
    return SubmitPlan.of(
        master, mode, supervise, jar.toString(), s, SubmitPlan.Resources.DEFAULTS, Map.of());
  }

  @Test
  void standaloneClusterModeShipsThePasswordFileAndPassesTheConfigAsProperties() {
    SubmitPlan p =
        plan(
            "spark://m:7077",
            SubmitPlan.DeployMode.CLUSTER,
            true,
            settings(
                Map.of("jdbc.password-file", password.toString(), "job.batch-interval", "2s"),
                Map.of()));

    List<String> args = p.sparkSubmitArgs();
    assertThat(String.join(" ", args))
        .startsWith(
            "--master spark://m:7077 --deploy-mode cluster --supervise --class "
                + ScoringJobMain.class.getName()
                + " --files "
                + password.toAbsolutePath())
        .endsWith(" " + jar.toAbsolutePath())
        .doesNotContain("s3cret-canary");
    assertThat(p.sparkConf())
        .containsEntry("spark.fraudwatch.jdbc.password-file", "job.password")
        .containsEntry("spark.fraudwatch.kafka.bootstrap", "k1:9092")
        .containsEntry("spark.fraudwatch.job.batch-interval", "2s")
        .containsEntry("spark.streaming.backpressure.enabled", "true")
        .containsEntry("spark.streaming.backpressure.pid.minRate", "1000")
        .containsEntry("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .doesNotContainKey(
            "spark.fraudwatch.job.name"); // at its default: the job's own default applies
    assertThat(p.sparkConf().get("spark.driver.extraJavaOptions"))
        .contains(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fraudwatch.avro");
    assertThat(p.sparkConf().get("spark.executor.extraJavaOptions"))
        .isEqualTo("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fraudwatch.avro");
  }

  @Test
  void kafkaAndTlsFilesTravelLikeThePasswordAndTheOperatorsLoginStaysBehind() throws Exception {
    Path kafkaPassword = Files.writeString(dir.resolve("kafka.password"), "kafka-canary");
    Path truststore = Files.writeString(dir.resolve("kafka-ca.p12"), "store");
    Path rootCert = Files.writeString(dir.resolve("pg-root.crt"), "cert");
    Path operatorPassword = Files.writeString(dir.resolve("operator.password"), "operator-canary");
    SubmitPlan p =
        plan(
            "spark://m:7077",
            SubmitPlan.DeployMode.CLUSTER,
            false,
            settings(
                Map.of(
                    "jdbc.password-file",
                    password.toString(),
                    "kafka.security-protocol",
                    "SASL_SSL",
                    "kafka.sasl-mechanism",
                    "SCRAM-SHA-512",
                    "kafka.sasl-username",
                    "scorer",
                    "kafka.sasl-password-file",
                    kafkaPassword.toString(),
                    "kafka.ssl-truststore",
                    truststore.toString(),
                    "jdbc.ssl-mode",
                    "verify-full",
                    "jdbc.ssl-root-cert",
                    rootCert.toString(),
                    "jdbc.operator-password-file",
                    operatorPassword.toString()),
                Map.of()));

    assertThat(p.files())
        .containsExactlyInAnyOrder(
            password.toAbsolutePath(),
            kafkaPassword.toAbsolutePath(),
            truststore.toAbsolutePath(),
            rootCert.toAbsolutePath());
    assertThat(p.sparkConf())
        .containsEntry("spark.fraudwatch.kafka.sasl-password-file", "kafka.password")
        .containsEntry("spark.fraudwatch.kafka.ssl-truststore", "kafka-ca.p12")
        .containsEntry("spark.fraudwatch.jdbc.ssl-root-cert", "pg-root.crt")
        .containsEntry("spark.fraudwatch.kafka.sasl-username", "scorer")
        .doesNotContainKey("spark.fraudwatch.jdbc.operator-password-file");
    assertThat(String.join(" ", p.sparkSubmitArgs())).doesNotContain("canary");
  }

  @Test
  void yarnShipsFilesAndKubernetesNamesThePathWhereTheSecretIsMounted() {
    SubmitPlan yarn =
        plan(
            "yarn",
            SubmitPlan.DeployMode.CLUSTER,
            false,
            settings(Map.of("jdbc.password-file", password.toString()), Map.of()));
    assertThat(yarn.files()).containsExactly(password.toAbsolutePath());

    SubmitPlan k8s =
        plan(
            "k8s://https://api:6443",
            SubmitPlan.DeployMode.CLUSTER,
            false,
            settings(
                Map.of("jdbc.password-file", "/etc/fraudwatch/secrets/job.password"), Map.of()));
    assertThat(k8s.files()).isEmpty();
    assertThat(k8s.sparkConf())
        .containsEntry(
            "spark.fraudwatch.jdbc.password-file", "/etc/fraudwatch/secrets/job.password");
  }

  @Test
  void userPropertiesWinAndExtendTheJvmOptions() {
    SubmitPlan p =
        SubmitPlan.of(
            "spark://m:7077",
            SubmitPlan.DeployMode.CLIENT,
            false,
            jar.toString(),
            settings(Map.of(), Map.of()),
            new SubmitPlan.Resources(
                Optional.of("2g"),
                Optional.of("3g"),
                Optional.of(2),
                Optional.of(4),
                Optional.empty()),
            Map.of(
                "spark.streaming.backpressure.enabled",
                "false",
                "spark.executor.extraJavaOptions",
                "-XX:+UseG1GC"));

    assertThat(p.sparkConf())
        .containsEntry("spark.streaming.backpressure.enabled", "false")
        .containsEntry("spark.driver.memory", "2g")
        .containsEntry("spark.executor.memory", "3g")
        .containsEntry("spark.executor.cores", "2")
        .containsEntry("spark.cores.max", "4")
        .doesNotContainKey(
            "spark.driver.extraJavaOptions"); // client mode: the submitting JVM is the driver
    assertThat(p.sparkConf().get("spark.executor.extraJavaOptions"))
        .isEqualTo("-XX:+UseG1GC -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fraudwatch.avro");
    assertThat(p.sparkSubmitArgs()).doesNotContain("--supervise").contains("client");
  }

  @Test
  void combinationsThatCannotWorkAreRefusedBeforeAnythingRuns() {
    Settings ok = settings(Map.of(), Map.of());
    assertThatThrownBy(() -> plan("yarn", SubmitPlan.DeployMode.CLUSTER, true, ok))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("spark.yarn.maxAppAttempts");
    assertThatThrownBy(() -> plan("spark://m:7077", SubmitPlan.DeployMode.CLIENT, true, ok))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--supervise");
    assertThatThrownBy(() -> plan("local[2]", SubmitPlan.DeployMode.CLUSTER, false, ok))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster manager");
    assertThatThrownBy(() -> plan("mesos://m:5050", SubmitPlan.DeployMode.CLIENT, false, ok))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected spark://");
    assertThatThrownBy(
            () ->
                plan(
                    "spark://m:7077",
                    SubmitPlan.DeployMode.CLIENT,
                    false,
                    Settings.load(
                        ScoringJobMain.KEYS,
                        Optional.empty(),
                        Map.of(),
                        Map.of("jdbc.url", "jdbc:postgresql://db/x"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrap: is required");
    assertThatThrownBy(
            () ->
                SubmitPlan.of(
                    "spark://m:7077",
                    SubmitPlan.DeployMode.CLIENT,
                    false,
                    dir.resolve("missing.jar").toString(),
                    ok,
                    SubmitPlan.Resources.DEFAULTS,
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.jar does not exist");
  }

  @Test
  void aPasswordFromTheEnvironmentCannotTravelAndIsRefusedWithoutShowingIt() {
    Settings fromEnv = settings(Map.of(), Map.of("FRAUDWATCH_JDBC_PASSWORD", "s3cret-canary"));

    assertThatThrownBy(() -> plan("spark://m:7077", SubmitPlan.DeployMode.CLUSTER, false, fromEnv))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jdbc.password-file")
        .hasMessageNotContaining("s3cret-canary");
  }

  @Test
  void aJobJarUrlIsPassedToSparkSubmitAsItIsForTheClusterToFetch() {
    for (String url :
        new String[] {
          "hdfs://nn/jobs/fraudwatch-job.jar",
          "https://repo.example.com/fraudwatch-job.jar",
          "local:///opt/fraudwatch/fraudwatch-job.jar"
        }) {
      SubmitPlan p =
          SubmitPlan.of(
              "spark://m:7077",
              SubmitPlan.DeployMode.CLUSTER,
              false,
              url,
              settings(Map.of(), Map.of()),
              SubmitPlan.Resources.DEFAULTS,
              Map.of());
      assertThat(p.sparkSubmitArgs()).last().isEqualTo(url);
      assertThat(p.jobJarName()).isEqualTo("fraudwatch-job.jar");
    }
  }

  @Test
  void fraudwatchKeysAsSparkPropertiesAreRefusedSoThatTheyAreCheckedAndNoSecretTravels() {
    assertThatThrownBy(
            () ->
                SubmitPlan.of(
                    "spark://m:7077",
                    SubmitPlan.DeployMode.CLUSTER,
                    false,
                    jar.toString(),
                    settings(Map.of(), Map.of()),
                    SubmitPlan.Resources.DEFAULTS,
                    Map.of("spark.fraudwatch.jdbc.password", "s3cret-canary")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--conf spark.fraudwatch.jdbc.password: give Fraudwatch's keys")
        .hasMessageNotContaining("s3cret-canary");
  }
}
