package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.backtest.BacktestPlan;
import io.fraudwatch.config.Cli;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.simulator.HandbookCsvWriter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments of `simulate` and `replay` that are refused before anything is sent, and `simulate
 * --csv`.
 */
class SimulateAndReplayCommandTest {
  private static final Map<String, String> NO_KAFKA = Map.of();

  /**
   * Nothing listens here: a command that got as far as connecting would fail with another message.
   */
  private static final Map<String, String> SOME_KAFKA =
      Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:1");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    StopSignal never = () -> new CountDownLatch(1).await();
    return FraudwatchCommand.run(
        env, never, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Runs with Ctrl-C pressed at once. */
  private int runStopped(String... args) {
    StopSignal already = () -> {};
    return FraudwatchCommand.run(
        NO_KAFKA, already, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void simulateNeedsExactlyOneDestination() {
    assertThat(run(NO_KAFKA, "simulate")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv").contains("--to-kafka");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--csv", dir.resolve("x.csv").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void simulateRefusesCountsTooSmallForTheFraudScenarios() {
    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--customers", "-5")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--customers must be at least 3, got -5");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--terminals", "1")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--terminals must be at least 2, got 1");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--days", "0")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--days must be at least 1, got 0");
  }

  @Test
  void simulateRefusesFlagsWhoseCustomersReachNoTerminalBeforeWriting() {
    Path csv = dir.resolve("none.csv");
    String[] flags = {"--days", "30", "--customers", "10", "--terminals", "2"};

    assertThat(run(NO_KAFKA, concat(new String[] {"simulate", "--csv", csv.toString()}, flags)))
        .isEqualTo(Cli.USAGE);
    assertThat(run(SOME_KAFKA, concat(new String[] {"simulate", "--to-kafka"}, flags)))
        .isEqualTo(Cli.USAGE);

    assertThat(err.toString())
        .contains(
            "these flags make no transactions: none of the 10 customers has any of the 2"
                + " terminals within reach");
    assertThat(csv).doesNotExist();
  }

  private static String[] concat(String[] a, String[] b) {
    return java.util.stream.Stream.concat(Arrays.stream(a), Arrays.stream(b))
        .toArray(String[]::new);
  }

  @Test
  void simulateRefusesABadDateOrDelayOrRate() {
    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--start-date", "2018-13-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--start-date").contains("2018-13-01");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--label-delay", "a week"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--label-delay").contains("'a week' is not a duration");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--rate", "-10")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--rate must be a positive number");
  }

  @Test
  void toKafkaWithoutAConfiguredBrokerSaysHowToGetOne() {
    assertThat(run(NO_KAFKA, "simulate", "--to-kafka", "--customers", "10")).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("kafka.bootstrap is unset")
        .contains("dev-env")
        .contains("source work/dev-env.sh");
  }

  @Test
  void simulateWritesHandbookCsvThatTheReaderAccepts() throws Exception {
    Path csv = dir.resolve("sim.csv.gz");
    assertThat(
            run(
                NO_KAFKA,
                "simulate",
                "--csv",
                csv.toString(),
                "--customers",
                "20",
                "--terminals",
                "40",
                "--days",
                "3",
                "--start-date",
                "2018-05-01",
                "--seed",
                "7"))
        .as(err.toString())
        .isEqualTo(Cli.OK);

    var loaded = new HandbookCsv().readAll(List.of(csv));
    assertThat(loaded.report().rowsSkipped()).isZero();
    assertThat(loaded.rows()).isNotEmpty();
    assertThat(out.toString())
        .contains(String.format("Wrote %,d transactions", loaded.rows().size()))
        .contains("over 3 days from 2018-05-01");
  }

  @Test
  void stationaryIsTheDefaultScenarioAndWritesTheSameFile() throws Exception {
    Path plain = dir.resolve("plain.csv");
    Path stationary = dir.resolve("stationary.csv");
    assertThat(
            run(
                NO_KAFKA,
                "simulate",
                "--csv",
                plain.toString(),
                "--customers",
                "50",
                "--terminals",
                "100",
                "--days",
                "20",
                "--seed",
                "3"))
        .as(err.toString())
        .isEqualTo(Cli.OK);
    assertThat(
            run(
                NO_KAFKA,
                "simulate",
                "--csv",
                stationary.toString(),
                "--customers",
                "50",
                "--terminals",
                "100",
                "--days",
                "20",
                "--seed",
                "3",
                "--scenario",
                "stationary"))
        .as(err.toString())
        .isEqualTo(Cli.OK);

    assertThat(Files.readAllBytes(stationary)).isEqualTo(Files.readAllBytes(plain));
  }

  @Test
  void aScenarioStartsByDefaultTwoWeeksBeforeTheEndAndItsManifestGivesBacktestTheWindowAroundIt()
      throws Exception {
    Path csv = dir.resolve("new-pattern.csv.gz");
    assertThat(
            run(
                NO_KAFKA,
                "simulate",
                "--csv",
                csv.toString(),
                "--customers",
                "50",
                "--terminals",
                "100",
                "--days",
                "35",
                "--scenario",
                "new-pattern"))
        .as(err.toString())
        .isEqualTo(Cli.OK);

    LocalDate lastDay = LocalDate.of(2018, 5, 5);
    LocalDate driftStart = lastDay.minusDays(SimulateCommand.DEFAULT_START_BEFORE_END);
    assertThat(out.toString())
        .contains("Scenario new-pattern (card testing)")
        .contains("from " + driftStart)
        .contains("Scenario manifest " + dir.resolve("new-pattern.scenario.json"));
    List<HandbookRow> rows = new HandbookCsv().readAll(List.of(csv)).rows();
    List<HandbookRow> cardTesting = rows.stream().filter(row -> row.scenario() == 4).toList();
    assertThat(cardTesting)
        .isNotEmpty()
        .allMatch(
            row -> !row.eventTime().isBefore(driftStart.atStartOfDay(ZoneOffset.UTC).toInstant()));
    assertThat(out.toString())
        .contains(String.format("; %,d card-testing frauds", cardTesting.size()));
    ScenarioManifest manifest =
        ScenarioManifest.readFor(csv, new PrintWriter(err, true)).orElseThrow();
    assertThat(manifest.scenario()).isEqualTo("new-pattern");
    assertThat(manifest.driftStart()).contains(driftStart);
    assertThat(manifest.transactions()).isEqualTo(rows.size());
    assertThat(manifest.days()).isEqualTo(35);
    // a default backtest of the file tests the week before the drift and the drifted days, the
    // label delay and a week; its bootstrap window ends before the drift and, from 35 days on,
    // starts on the first day or later
    Duration delay = Duration.ofDays(7);
    BacktestPlan plan =
        BacktestPlan.of(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            delay,
            lastDay,
            manifest.driftStart());
    assertThat(plan.testFrom()).isEqualTo(driftStart.minusDays(BacktestPlan.PRE_DRIFT_DAYS));
    assertThat(plan.testTo()).isEqualTo(lastDay);
    assertThat(driftStart.plusDays(delay.toDays() + 7 - 1)).isEqualTo(lastDay);
    assertThat(plan.bootstrapTo()).isBefore(driftStart);
    assertThat(plan.bootstrapFrom()).isEqualTo(LocalDate.of(2018, 4, 1));
  }

  @Test
  void aManifestWhoseFileWasReplacedIsIgnoredAndAStationaryOneHasNoDrift() throws Exception {
    Path csv = dir.resolve("plain.csv");
    String[] simulate = {
      "simulate", "--csv", csv.toString(), "--customers", "50", "--terminals", "100", "--days", "20"
    };
    assertThat(run(NO_KAFKA, simulate)).as(err.toString()).isEqualTo(Cli.OK);
    PrintWriter warnings = new PrintWriter(err, true);
    ScenarioManifest stationary = ScenarioManifest.readFor(csv, warnings).orElseThrow();
    assertThat(stationary.scenario()).isEqualTo("stationary");
    assertThat(stationary.driftStart()).isEmpty();

    Files.writeString(csv, "replaced\n", StandardOpenOption.APPEND);

    assertThat(ScenarioManifest.readFor(csv, warnings)).isEmpty();
    assertThat(err.toString())
        .contains(
            "warning: "
                + dir.resolve("plain.scenario.json")
                + " describes another file than "
                + csv
                + " as it is now (its SHA-256 differs: the file changed, or the manifest is another"
                + " file's with the same stem, such as d.csv's beside d.csv.gz): ignored");
  }

  @Test
  void labelNoiseIsReadBackWithTheReportedLabelsBesideTheTruth() throws Exception {
    Path csv = dir.resolve("noisy.csv.gz");
    assertThat(
            run(
                NO_KAFKA,
                "simulate",
                "--csv",
                csv.toString(),
                "--customers",
                "200",
                "--terminals",
                "400",
                "--days",
                "12",
                "--scenario",
                "label-noise",
                "--drift-start-day",
                "2018-04-05",
                "--noise-share",
                "0.5"))
        .as(err.toString())
        .isEqualTo(Cli.OK);

    var loaded = new HandbookCsv().readAll(List.of(csv));
    assertThat(loaded.report().rowsSkipped()).isZero();
    List<HandbookRow> flipped =
        loaded.rows().stream().filter(row -> row.reportedFraud() != row.fraud()).toList();
    assertThat(flipped)
        .isNotEmpty()
        .allMatch(row -> row.eventTime().toString().startsWith("2018-04-05"));
    assertThat(out.toString())
        .contains("Scenario label-noise: a share of 0.5 of the start day's reported labels flipped")
        .contains(String.format("; from 2018-04-05; %,d reported labels flipped", flipped.size()));
  }

  @Test
  void badScenarioFlagsAreRefusedBeforeAnythingIsWritten() {
    Path csv = dir.resolve("never.csv");
    String[][] refused = {
      {"--scenario", "sudden"},
      {"--scenario", "stationary", "--drift-start-day", "2018-04-10"},
      {"--drift-start-day", "2018-04-10"},
      {"--scenario", "gradual", "--cards-per-day", "3"},
      {"--scenario", "new-pattern", "--cards-per-day", "51"},
      {"--scenario", "new-pattern", "--noise-share", "0.1"},
      {"--scenario", "label-noise", "--noise-share", "1.5"},
      {"--scenario", "label-noise", "--drift-start-day", "2018-03-31"},
      {"--scenario", "label-noise", "--drift-start-day", "2018-05-01"},
      {"--scenario", "gradual", "--ramp-days", "0"},
      {"--scenario", "gradual", "--amount-factor", "-2"},
      {"--scenario", "gradual", "--amount-factor", "1e300"},
      {"--start-date", "+999999999-12-25"},
      {"--start-date", "1969-12-31"},
      {"--start-date", "2261-12-20"},
      {"--scenario", "new-pattern", "--days", "10"},
      {"--scenario", "new-pattern", "--drift-start-day", "someday"}
    };
    String[] messages = {
      "--scenario sudden: no such scenario; the scenarios are stationary, new-pattern, gradual, label-noise",
      "--drift-start-day does not apply to --scenario stationary",
      "--drift-start-day does not apply to --scenario stationary",
      "--cards-per-day does not apply to --scenario gradual",
      "--cards-per-day 51 is more than the 50 customers (--customers) whose cards could be tested",
      "--noise-share does not apply to --scenario new-pattern",
      "the share of flipped labels must be in (0, 1], got 1.5",
      "--drift-start-day 2018-03-31 is outside the simulated days 2018-04-01..2018-04-30",
      "--drift-start-day 2018-05-01 is outside the simulated days 2018-04-01..2018-04-30",
      "ramp days must be between 1 and 100000, got 0",
      "the amount factor must be in (0, 100], got -2.0",
      "the amount factor must be in (0, 100], got 1.0E300",
      "--start-date +999999999-12-25 and --days 30: ",
      "--start-date 1969-12-31 and --days 30: the first day is outside (1970-01-01T00:00:00Z, ",
      "--start-date 2261-12-20 and --days 30: the last day is outside (1970-01-01T00:00:00Z, ",
      "--days 10 leaves no room for the default drift start (13 days before the last day); give --drift-start-day",
      "--drift-start-day"
    };
    for (int i = 0; i < refused.length; i++) {
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "simulate", "--csv", csv.toString(), "--customers", "50", "--terminals", "100"));
      if (!List.of(refused[i]).contains("--days")) {
        args.addAll(List.of("--days", "30"));
      }
      args.addAll(List.of(refused[i]));
      err.getBuffer().setLength(0);
      assertThat(run(NO_KAFKA, args.toArray(String[]::new)))
          .as(String.join(" ", refused[i]))
          .isEqualTo(Cli.USAGE);
      assertThat(err.toString()).as(String.join(" ", refused[i])).contains(messages[i]);
      assertThat(csv).doesNotExist();
    }
  }

  @Test
  void helpDescribesEachScenario() {
    assertThat(run(NO_KAFKA, "simulate", "--help")).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains("stationary   the handbook's generator")
        .contains("new-pattern  card testing")
        .contains("gradual      spending shifts")
        .contains("label-noise  on the start day only")
        .contains("--drift-start-day")
        .contains("docs/scenarios.md")
        .contains(String.format("day%n               --cards-per-day cards get a burst"));
  }

  @Test
  void simulateToCsvRefusesReplayFlags() {
    assertThat(run(NO_KAFKA, "simulate", "--csv", dir.resolve("x.csv").toString(), "--rate", "100"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("apply to --to-kafka only");
    assertThat(dir.resolve("x.csv")).doesNotExist();
    assertThat(
            run(NO_KAFKA, "simulate", "--csv", dir.resolve("x.csv").toString(), "--first-id", "9"))
        .isEqualTo(Cli.USAGE);
  }

  @Test
  void ctrlCLeavesTheFileAndItsManifestAsTheyWere() throws Exception {
    Path csv = dir.resolve("d.csv.gz");
    Files.writeString(csv, "the previous file");
    Files.writeString(dir.resolve("d.scenario.json"), "{}");

    // long enough that the stop is seen before the end
    int code = runStopped("simulate", "--csv", csv.toString(), "--days", "3650");

    assertThat(code).isEqualTo(Cli.FAILURE);
    assertThat(err.toString())
        .contains("error: stopped before the end (Ctrl-C); " + csv + " is as it was");
    assertThat(csv).hasContent("the previous file");
    assertThat(dir.resolve("d.scenario.json")).hasContent("{}");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("d.csv.gz", "d.scenario.json");
    }
  }

  @Test
  void aFileWrittenInFullIsGzipByItsNameInAnyCaseAndKeepsNoPartialFile() throws Exception {
    Path csv = dir.resolve("d.CSV.GZ");

    assertThat(run(NO_KAFKA, "simulate", "--csv", csv.toString(), "--days", "3"))
        .as(err.toString())
        .isEqualTo(Cli.OK);

    try (InputStream in = Files.newInputStream(csv)) {
      assertThat(in.readNBytes(2)).containsExactly(0x1f, 0x8b);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("d.CSV.GZ", "d.scenario.json");
    }
  }

  @Test
  void aManifestPathThatIsADirectoryIsRefusedBeforeAnythingIsWritten() throws Exception {
    Files.createDirectory(dir.resolve("m.scenario.json"));

    assertThat(run(NO_KAFKA, "simulate", "--csv", dir.resolve("m.csv").toString()))
        .isEqualTo(Cli.USAGE);

    assertThat(err.toString()).contains("is there and not a regular file");
    assertThat(dir.resolve("m.csv")).doesNotExist();
  }

  @Test
  void simulateToCsvRefusesBadConfigurationBeforeWriting() throws Exception {
    Path csv = dir.resolve("x.csv");
    Path typo = Files.writeString(dir.resolve("typo.properties"), "job.batch-intervall=1s\n");
    String[][] refused = {
      {"--config", dir.resolve("missing.properties").toString()},
      {"--config", typo.toString()},
      {"--set", "nonsense=1"},
      {"--set", "jdbc.password=hunter2"}
    };
    for (String[] flags : refused) {
      List<String> args = new java.util.ArrayList<>(List.of("simulate", "--csv", csv.toString()));
      args.addAll(List.of(flags));
      err.getBuffer().setLength(0);

      assertThat(run(NO_KAFKA, args.toArray(String[]::new)))
          .as(String.join(" ", flags) + ": " + err)
          .isEqualTo(Cli.USAGE);
      assertThat(err.toString()).doesNotContain("hunter2");
      assertThat(csv).doesNotExist();
    }
  }

  @Test
  void simulateRefusesACsvPathInAMissingDirectory() {
    assertThat(run(NO_KAFKA, "simulate", "--csv", dir.resolve("no/such/dir/x.csv").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("cannot write there");
  }

  @Test
  void replayNeedsFiles() {
    assertThat(run(SOME_KAFKA, "replay")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv");
  }

  @Test
  void replayRefusesAMissingFile() {
    assertThat(run(SOME_KAFKA, "replay", "--csv", dir.resolve("missing.csv").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("missing.csv: no such file");
  }

  @Test
  void replayRefusesAFileThatIsNotHandbookCsv() throws Exception {
    Path notHandbook = Files.writeString(dir.resolve("people.csv"), "name,age\nada,36\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", notHandbook.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("people.csv")
        .contains("not handbook CSV")
        .contains("missing required column(s) TRANSACTION_ID");
  }

  @Test
  void replayRefusesABadDateWindow() throws Exception {
    Path csv = Files.writeString(dir.resolve("h.csv"), HandbookCsvWriter.HEADER + "\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", csv.toString(), "--from", "yesterday"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--from").contains("yesterday");

    assertThat(
            run(
                SOME_KAFKA,
                "replay",
                "--csv",
                csv.toString(),
                "--from",
                "2018-05-02",
                "--to",
                "2018-05-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--to 2018-05-01 is before --from 2018-05-02");
  }

  @Test
  void replayOfNoRowsIsNotFound() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("h.csv"),
            HandbookCsvWriter.HEADER + "\n" + "0,2018-04-01T00:07:56,596,3156,57.16,476,0,0,0\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", csv.toString(), "--from", "2018-05-01"))
        .isEqualTo(Cli.NOT_FOUND);
    assertThat(err.toString())
        .contains("nothing to replay: no rows between 2018-05-01 and the end");
  }

  @Test
  void replayWithoutAConfiguredBrokerSaysHowToGetOne() throws Exception {
    Path csv = Files.writeString(dir.resolve("h.csv"), HandbookCsvWriter.HEADER + "\n");
    assertThat(run(NO_KAFKA, "replay", "--csv", csv.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("kafka.bootstrap is unset")
        .contains("source work/dev-env.sh");
  }
}
