package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.JobSparkProperties;
import io.fraudwatch.scoring.job.ScoringJobMain;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes and YARN files, checked by shape: no Kubernetes cluster or YARN runs in the tests,
 * so this reads them as the Spark operator and spark-submit would and checks the fields they
 * require and how the files refer to each other (image, jar path, volumes, the ConfigMap's
 * configuration, the Secret's key).
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("user.dir"));
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String SPARK_VERSION = System.getProperty("fraudwatch.spark-version");

  private static JsonNode yaml(String file) throws Exception {
    return YAML.readTree(DEPLOY.resolve("kubernetes").resolve(file).toFile());
  }

  private static List<JsonNode> documents(String file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser =
        new YAMLFactory().createParser(DEPLOY.resolve("kubernetes").resolve(file).toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    return docs;
  }

  @Test
  void theSparkApplicationRunsTheJobJarOfTheImageWithWhatTheOperatorRequires() throws Exception {
    JsonNode app = yaml("sparkapplication.yaml");
    JsonNode spec = app.path("spec");

    assertThat(app.path("apiVersion").asText()).isEqualTo("sparkoperator.k8s.io/v1beta2");
    assertThat(app.path("kind").asText()).isEqualTo("SparkApplication");
    assertThat(app.path("metadata").path("name").asText()).isNotBlank();
    assertThat(spec.path("type").asText()).isEqualTo("Java");
    assertThat(spec.path("mode").asText()).isEqualTo("cluster");
    assertThat(spec.path("sparkVersion").asText()).isEqualTo(SPARK_VERSION);
    assertThat(spec.path("image").asText()).isNotBlank();
    assertThat(spec.path("mainClass").asText()).isEqualTo(ScoringJobMain.class.getName());
    assertThat(spec.path("restartPolicy").path("type").asText()).isEqualTo("Always");
    for (String role : List.of("driver", "executor")) {
      assertThat(spec.path(role).path("cores").asInt()).as(role + " cores").isPositive();
      assertThat(spec.path(role).path("memory").asText()).as(role + " memory").matches("\\d+[mg]");
    }
    assertThat(spec.path("executor").path("instances").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(spec.path("driver").path("serviceAccount").asText()).isEqualTo(serviceAccount());
    assertThat(spec.path("driver").path("terminationGracePeriodSeconds").asLong())
        .as("the driver's SIGTERM lets the online learner store its last version")
        .isGreaterThan(ScoringJobRunner.LEARNER_STORE_LIMIT.toSeconds());

    // the jar the operator starts is the one the Dockerfile copies, on the Spark version's image
    String dockerfile = Files.readString(DEPLOY.resolve("kubernetes/Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM apache/spark:(\\S+)").matcher(dockerfile);
    assertThat(from.find()).isTrue();
    assertThat(from.group(1)).startsWith(SPARK_VERSION + "-scala2.13-java17");
    Matcher copy =
        Pattern.compile("(?m)^COPY jobs/fraudwatch-job-\\*\\.jar (\\S+)").matcher(dockerfile);
    assertThat(copy.find()).isTrue();
    assertThat(spec.path("mainApplicationFile").asText()).isEqualTo("local://" + copy.group(1));

    // Avro's allowed packages reach both sides
    JsonNode conf = spec.path("sparkConf");
    assertThat(conf.path("spark.driver.extraJavaOptions").asText())
        .contains(JobSparkProperties.AVRO_PACKAGES_FLAG);
    assertThat(conf.path("spark.executor.extraJavaOptions").asText())
        .contains(JobSparkProperties.AVRO_PACKAGES_FLAG);
    assertThat(spec.path("driver").path("annotations").path("prometheus.io/scrape").asText())
        .isEqualTo("true");
    assertThat(spec.path("driver").path("annotations").path("prometheus.io/port").asText())
        .matches("\\d+");
    assertThat(
            spec.path("executor").path("annotations").path("prometheus.io/scrape").isMissingNode())
        .as("executors serve no HTTP endpoint to scrape")
        .isTrue();
  }

  @Test
  void configurationAndSecretsAreMountedFilesThatTheJobReads() throws Exception {
    JsonNode spec = yaml("sparkapplication.yaml").path("spec");
    JsonNode configMap = yaml("configmap.yaml");
    JsonNode secret = yaml("secret.example.yaml");

    Map<String, JsonNode> volumes = new java.util.HashMap<>();
    spec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    assertThat(volumes.get("config").path("configMap").path("name").asText())
        .isEqualTo(configMap.path("metadata").path("name").asText());
    assertThat(volumes.get("secrets").path("secret").path("secretName").asText())
        .isEqualTo(secret.path("metadata").path("name").asText());
    for (String role : List.of("driver", "executor")) {
      spec.path(role)
          .path("volumeMounts")
          .forEach(
              m -> assertThat(volumes).as(role + " mounts").containsKey(m.path("name").asText()));
    }
    String configMount = mountPath(spec.path("driver"), "config");
    String secretMount = mountPath(spec.path("driver"), "secrets");
    assertThat(mountPath(spec.path("executor"), "secrets")).isEqualTo(secretMount);

    // the job's --config is the ConfigMap's file, and every key in it is one the job knows
    JsonNode args = spec.path("arguments");
    assertThat(args.get(0).asText()).isEqualTo("--config");
    String properties = configMap.path("data").path("fraudwatch.properties").asText();
    assertThat(args.get(1).asText()).isEqualTo(configMount + "/fraudwatch.properties");
    Properties p = new Properties();
    p.load(new StringReader(properties));
    Map<String, String> values = new java.util.HashMap<>();
    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
    Settings settings = Settings.load(ScoringJobMain.KEYS, Optional.empty(), Map.of(), values);
    assertThat(settings.optional("kafka.bootstrap")).isPresent();
    assertThat(settings.optional("jdbc.url")).isPresent();

    // the password file it names is the Secret's key, under the Secret's mount
    Path passwordFile = settings.secretFile("jdbc.password").orElseThrow();
    assertThat(passwordFile.getParent()).hasToString(secretMount);
    assertThat(secret.path("stringData").has(passwordFile.getFileName().toString())).isTrue();
  }

  @Test
  void theDriversServiceAccountMayRunExecutorPods() throws Exception {
    List<JsonNode> rbac = documents("rbac.yaml");
    JsonNode role =
        rbac.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
    JsonNode binding =
        rbac.stream()
            .filter(d -> d.path("kind").asText().equals("RoleBinding"))
            .findFirst()
            .orElseThrow();

    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(serviceAccount());
    assertThat(binding.path("roleRef").path("name").asText())
        .isEqualTo(role.path("metadata").path("name").asText());
    JsonNode rule = role.path("rules").get(0);
    assertThat(rule.path("resources").toString()).contains("pods", "services", "configmaps");
    assertThat(rule.path("verbs").toString()).contains("create", "delete", "watch");
  }

  private static String serviceAccount() throws Exception {
    return documents("rbac.yaml").stream()
        .filter(d -> d.path("kind").asText().equals("ServiceAccount"))
        .findFirst()
        .orElseThrow()
        .path("metadata")
        .path("name")
        .asText();
  }

  private static String mountPath(JsonNode role, String volume) {
    for (JsonNode m : role.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("no mount of " + volume);
  }

  @Test
  void yarnSubmitsInClusterModeWithRetriedAttemptsAndTheJobsJvmFlags() throws Exception {
    Properties defaults = new Properties();
    defaults.load(new StringReader(Files.readString(DEPLOY.resolve("yarn/spark-defaults.conf"))));

    assertThat(defaults.getProperty("spark.master")).isEqualTo("yarn");
    assertThat(defaults.getProperty("spark.submit.deployMode")).isEqualTo("cluster");
    assertThat(Integer.parseInt(defaults.getProperty("spark.yarn.maxAppAttempts")))
        .isGreaterThan(1);
    assertThat(defaults.getProperty("spark.driver.extraJavaOptions"))
        .contains(JobSparkProperties.AVRO_PACKAGES_FLAG);
    assertThat(defaults.getProperty("spark.executor.extraJavaOptions"))
        .contains(JobSparkProperties.AVRO_PACKAGES_FLAG);

    String submit = Files.readString(DEPLOY.resolve("yarn/submit.sh"));
    assertThat(submit)
        .contains(
            "--class " + ScoringJobMain.class.getName(),
            "--properties-file",
            "yarn/spark-defaults.conf",
            "jobs/fraudwatch-job-",
            "--files",
            "--config fraudwatch.properties");
    Process syntax =
        new ProcessBuilder("bash", "-n", DEPLOY.resolve("yarn/submit.sh").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(syntax.waitFor()).as(new String(syntax.getInputStream().readAllBytes())).isZero();
    assertThat(Files.isExecutable(DEPLOY.resolve("yarn/submit.sh"))).isTrue();
  }
}
