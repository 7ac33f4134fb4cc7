package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.ConfigReference;
import io.fraudwatch.config.ConfigKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball, unpacked into an empty directory, runs with Java alone: its launcher finds
 * its libraries and the job jar next to itself, with no Maven and no source tree (the PATH holds
 * java and the shell tools the script uses, nothing else).
 */
class ReleaseIT {
  private static final Path TARBALL = Path.of(System.getProperty("fraudwatch.release"));

  @TempDir static Path unpacked;
  @TempDir static Path tools;
  private static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Process tar =
        new ProcessBuilder("tar", "xzf", TARBALL.toString(), "-C", unpacked.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    try (Stream<Path> top = Files.list(unpacked)) {
      home = top.findFirst().orElseThrow();
    }
    Files.createSymbolicLink(
        tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    for (String tool : List.of("bash", "env", "ls", "head", "cat", "dirname")) {
      Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
    }
  }

  private record Run(int exit, String output) {}

  private static Run fraudwatch(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/fraudwatch").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(unpacked.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", tools.toString());
    pb.environment().put("HOME", unpacked.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), output);
  }

  @Test
  void holdsTheLauncherItsLibrariesTheJobJarTheConfigurationAndTheDeploymentFiles()
      throws Exception {
    assertThat(home.getFileName().toString()).startsWith("fraudwatch-");
    assertThat(Files.isExecutable(home.resolve("bin/fraudwatch"))).isTrue();
    try (Stream<Path> jobs = Files.list(home.resolve("jobs"))) {
      assertThat(jobs.map(p -> p.getFileName().toString()).toList())
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("fraudwatch-job-").endsWith(".jar"));
    }
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("fraudwatch-app-"))
          .anyMatch(n -> n.startsWith("spark-core_"))
          .contains("jvm-flags");
    }
    for (String file :
        List.of(
            "README.md",
            "kubernetes/Dockerfile",
            "kubernetes/sparkapplication.yaml",
            "kubernetes/configmap.yaml",
            "kubernetes/secret.example.yaml",
            "kubernetes/rbac.yaml",
            "yarn/spark-defaults.conf",
            "yarn/submit.sh",
            "examples/rules/handbook.json")) {
      assertThat(home.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.isExecutable(home.resolve("yarn/submit.sh"))).isTrue();
  }

  @Test
  void theExampleConfigurationListsEveryKeyCommentedOutWithItsMeaning() throws Exception {
    String conf = Files.readString(home.resolve("conf/fraudwatch.properties"));
    for (ConfigKey key : ConfigReference.allKeys()) {
      String line =
          key.secret()
              ? "#" + key.fileKey() + "="
              : "#" + key.name() + "=" + (key.defaultValue() == null ? "" : key.defaultValue());
      assertThat(conf).as(key.name()).contains("# " + key.description() + "\n" + line);
    }
    assertThat(conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
        .as("uncommented lines")
        .isEmpty();
  }

  @Test
  void itsLauncherRunsWithJavaAloneFromAnyDirectory() throws Exception {
    Run version = fraudwatch("--version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output())
        .contains("fraudwatch " + System.getProperty("fraudwatch.version", ""));

    Run help = fraudwatch("--help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("submit", "cluster-demo", "demo", "models");
  }

  @Test
  void submitUsesTheReleasesJobJarAndShipsThePasswordAsAFile() throws Exception {
    Path password = Files.writeString(unpacked.resolve("job.password"), "canary-pw-3141");

    Run print =
        fraudwatch(
            "submit",
            "--master",
            "spark://127.0.0.1:7077",
            "--deploy-mode",
            "cluster",
            "--supervise",
            "--print",
            "--set",
            "kafka.bootstrap=kafka:9092",
            "--set",
            "jdbc.url=jdbc:postgresql://db:5432/fraudwatch",
            "--set",
            "jdbc.password-file=" + password);

    assertThat(print.exit()).as(print.output()).isZero();
    assertThat(print.output())
        .contains(
            "org.apache.spark.deploy.SparkSubmit",
            "--deploy-mode cluster",
            "--supervise",
            "--files " + password,
            "spark.fraudwatch.jdbc.password-file=job.password",
            "spark.fraudwatch.kafka.bootstrap=kafka:9092",
            home.resolve("jobs").toString() + "/fraudwatch-job-")
        .doesNotContain("canary-pw-3141");
  }
}
