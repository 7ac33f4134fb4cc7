package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FraudwatchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no long-running command expected");
        };
    return FraudwatchCommand.run(
        env, neverUsed, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void helpListsEveryCommand() {
    assertThat(run(Map.of(), "--help")).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains("dev-env", "migrate", "demo", "simulate", "replay", "bench", "dashboard");
  }

  @Test
  void everyCommandAndSubcommandHasHelp() {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no long-running command expected");
        };
    List<List<String>> paths = new ArrayList<>();
    collect(
        FraudwatchCommand.commandLine(
            Map.of(), neverUsed, new PrintWriter(out, true), new PrintWriter(err, true)),
        List.of(),
        paths);
    assertThat(paths).contains(List.of("rules", "show"), List.of("alerts", "review"));
    for (List<String> path : paths) {
      out.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      assertThat(run(Map.of(), args.toArray(String[]::new)))
          .as(String.join(" ", path) + ": " + err)
          .isEqualTo(Cli.OK);
      assertThat(out.toString()).contains("Usage: fraudwatch " + String.join(" ", path));
      assertThat(out.toString()).as(String.join(" ", path)).contains("Exit codes");
    }
  }

  /** An option's row or its description's next line: picocli wraps them within their column. */
  private static final Pattern OPTION_ROW = Pattern.compile("^ {2,}(-\\w, )?-|^ {20,}\\S");

  /**
   * No help text is broken into lines wider than 80 columns: rendered without picocli's wrapping,
   * no line over 80 is followed by its own continuation. picocli would wrap each such line into a
   * long and a short one at 80 columns; a paragraph written as one line it wraps evenly instead.
   * The synopsis and the options' descriptions are left to picocli, which wraps them in their
   * column.
   */
  @Test
  void noHelpTextIsBrokenIntoLinesWiderThan80Columns() {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no long-running command expected");
        };
    CommandLine root =
        FraudwatchCommand.commandLine(
            Map.of(), neverUsed, new PrintWriter(out, true), new PrintWriter(err, true));
    root.setUsageHelpWidth(400);
    List<List<String>> paths = new ArrayList<>();
    paths.add(List.of());
    collect(root, List.of(), paths);
    List<String> ragged = new ArrayList<>();
    for (List<String> path : paths) {
      out.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      // picocli warns on System.err of a text it cannot format (a lone %) and shows it raw
      java.io.PrintStream stderr = System.err;
      java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
      System.setErr(
          new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        assertThat(root.execute(args.toArray(String[]::new))).as(String.join(" ", path)).isZero();
      } finally {
        System.setErr(stderr);
      }
      if (warnings.toString(java.nio.charset.StandardCharsets.UTF_8).contains("picocli WARN")) {
        ragged.add("fraudwatch " + String.join(" ", path) + ": picocli could not format its help");
      }
      List<String> lines = out.toString().lines().toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        String line = lines.get(i);
        String next = lines.get(i + 1);
        boolean continued =
            !next.isBlank()
                && (indent(line) == 0 ? indent(next) == 0 : indent(next) > indent(line));
        if (line.length() > 80
            && continued
            && !line.startsWith("Usage: ")
            && !OPTION_ROW.matcher(line).find()) {
          ragged.add("fraudwatch " + String.join(" ", path) + ": " + line);
        }
      }
    }
    assertThat(ragged)
        .as("help lines over 80 columns, continued on the next line, or texts not formatted")
        .isEmpty();
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }

  /** The path of every command below {@code cl}, hidden ones included. */
  private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals(sub.getCommandName())) { // an alias lists the same command again
                List<String> p = new ArrayList<>(path);
                p.add(name);
                paths.add(p);
                collect(sub, p, paths);
              }
            });
  }

  @Test
  void unknownCommandIsUsageError() {
    assertThat(run(Map.of(), "frobnicate")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("frobnicate").contains("fraudwatch --help");
  }

  @Test
  void noCommandIsUsageError() {
    assertThat(run(Map.of())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("missing command");
  }

  @Test
  void badFlagIsUsageError() {
    assertThat(run(Map.of(), "dev-env", "--kafka-port", "lots")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--kafka-port");
  }

  @Test
  void badConfigValueIsRefusedBeforeAnythingStarts() {
    assertThat(run(Map.of("FRAUDWATCH_KAFKA_PARTITIONS", "zero"), "dev-env")).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("kafka.partitions: expected an integer")
        .contains("environment variable FRAUDWATCH_KAFKA_PARTITIONS");
  }

  @Test
  void scoreRefusesAMasterSparkDoesNotKnowBeforeAnythingStarts() {
    assertThat(run(Map.of(), "score", "--master", "bogus")).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("job.spark-master: is not a Spark master URL")
        .contains("bogus (from the command's flag for job.spark-master)");
  }

  @Test
  void aVariableThatNamesNoConfigurationKeyIsReportedNotSilentlyIgnored() {
    assertThat(
            FraudwatchCommand.unknownVariables(
                Map.of(
                    "FRAUDWATCH_JDBC_URL_TYPO", "x",
                    "FRAUDWATCH_JDBC_URL", "jdbc:postgresql://db/fw",
                    "FRAUDWATCH_JDBC_PASSWORD_FILE", "/run/secrets/pw",
                    "FRAUDWATCH_JAVA_OPTS", "-Xmx1g",
                    "PATH", "/usr/bin")))
        .containsExactly("FRAUDWATCH_JDBC_URL_TYPO");
    run(Map.of("FRAUDWATCH_NO_SUCH_KEY", "1"), "--help");
    assertThat(err.toString())
        .contains(
            "warning: FRAUDWATCH_NO_SUCH_KEY is set but names no configuration key; it is ignored");
  }

  @Test
  void devEnvRefusesExternalServices() {
    assertThat(run(Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", "kafka:9092"), "dev-env"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("dev-env starts embedded services");
  }

  @Test
  void passwordOnTheCommandLineIsRefused() {
    assertThat(run(Map.of(), "migrate", "--set", "jdbc.password=hunter2")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("secrets are not accepted").doesNotContain("hunter2");
  }

  @Test
  void migrateWithoutDatabaseSaysWhatToSet() {
    assertThat(run(Map.of(), "migrate")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("no database configured").contains("FRAUDWATCH_JDBC_URL");
  }

  @Test
  void oneConfigFileWithEveryCommandsKeysServesACommandThatReadsFewOfThem(@TempDir Path dir)
      throws Exception {
    Path shared =
        Files.writeString(
            dir.resolve("fraudwatch.properties"),
            "job.batch-interval=2s\nkafka.bootstrap=kafka:9092\ndashboard.port=8081\n"
                + "dashboard.jdbc-password-file=/etc/fraudwatch/analyst\n");
    Path typo = Files.writeString(dir.resolve("typo.properties"), "job.batch-intervall=2s\n");

    // migrate reads only the jdbc.* keys: it gets as far as asking for jdbc.url
    assertThat(run(Map.of(), "migrate", "--config", shared.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("no database configured").doesNotContain("unknown key");
    assertThat(run(Map.of(), "migrate", "--config", typo.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("job.batch-intervall: unknown key");
  }

  @Test
  void migrateToAnUnreachableDatabaseSaysSoInOneLine() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThat(
            run(
                Map.of(),
                "migrate",
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/x"))
        .isEqualTo(Cli.FAILURE);
    assertThat(err.toString())
        .contains(
            "error: cannot reach PostgreSQL: Connection to 127.0.0.1:" + closedPort + " refused")
        .contains("Check jdbc.url")
        .doesNotContain("\tat ");
  }

  @Test
  void demoLeavesAWorkDirThatADemoDidNotMakeAlone(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");

    assertThat(run(Map.of(), "demo", "--work-dir", dir.toString())).isEqualTo(Cli.USAGE);

    assertThat(err.toString()).contains("refusing to wipe it").contains(dir.toString());
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void demoNeedsDaysLeftToStreamAfterTheBootstrapDays() {
    assertThat(run(Map.of(), "demo", "--days", "10", "--bootstrap-days", "10"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--bootstrap-days").contains("fewer than --days");
  }

  @Test
  void benchRefusesBadFlagsBeforeStartingAnything(@TempDir Path dir) throws Exception {
    assertThat(run(Map.of(), "bench", "--events", "0")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--events must be positive");
    assertThat(run(Map.of(), "bench", "--drain", "--rate", "5")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(run(Map.of(), "bench", "--threshold", "1.5")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--threshold must be above 0 and below 1");
    assertThat(run(Map.of(), "bench", "--report", dir.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--report " + dir + ": cannot write there");
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThat(run(Map.of(), "bench", "--work-dir", dir.toString())).isEqualTo(Cli.USAGE);
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void benchRefusesBadClusterFlagsBeforeStartingAnything(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("job.jar"), "not really a jar");
    assertThat(run(Map.of(), "bench", "--workers", "3")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--cluster");
    assertThat(
            run(
                Map.of(),
                "bench",
                "--cluster",
                "--executor-memory",
                "100m",
                "--job-jar",
                jar.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--executor-memory must be at least 450m");
    assertThat(run(Map.of(), "bench", "--cluster", "--workers", "0", "--job-jar", jar.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--workers must be between 1 and 16");
    assertThat(
            run(Map.of(), "bench", "--cluster", "--job-jar", dir.resolve("missing.jar").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("missing.jar does not exist");
  }

  @Test
  void readmeOrADocsPageDocumentsEveryConfigKey() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).resolve("..");
    StringBuilder text = new StringBuilder(Files.readString(root.resolve("README.md")));
    try (var docs = Files.list(root.resolve("docs"))) {
      for (Path page : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        text.append(Files.readString(page));
      }
    }
    for (var key : ScoreCommand.KEYS) {
      assertThat(text.toString())
          .as("config tables of README.md and docs/*.md")
          .contains("| `" + key.name() + "` |");
    }
  }

  @Test
  void dashboardRefusesBadSettingsBeforeStartingAnything(@TempDir Path dir) throws Exception {
    assertThat(run(Map.of(), "dashboard", "--port", "70000", "--work-dir", dir.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("dashboard.port");
    assertThat(
            run(
                Map.of("FRAUDWATCH_DASHBOARD_REFRESH", "10ms"),
                "dashboard",
                "--work-dir",
                dir.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("dashboard.refresh: must be at least 1s");
    assertThat(run(Map.of(), "dashboard", "--bind", "not-a-host..", "--work-dir", dir.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("dashboard.bind: not-a-host.. does not resolve");
    assertThat(run(Map.of(), "dashboard", "--bind", "192.0.2.1", "--work-dir", dir.toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("dashboard.bind: 192.0.2.1 is not an address of this machine");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void demoRefusesATakenDashboardPortBeforeItRuns(@TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(
              run(
                  Map.of(),
                  "demo",
                  "--dashboard",
                  "--dashboard-port",
                  Integer.toString(taken.getLocalPort()),
                  "--work-dir",
                  dir.resolve("demo").toString()))
          .isEqualTo(Cli.USAGE);
    }
    assertThat(err.toString()).contains("--dashboard-port");
    assertThat(dir.resolve("demo")).doesNotExist();
  }
}
