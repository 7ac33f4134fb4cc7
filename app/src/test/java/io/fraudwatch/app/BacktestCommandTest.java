package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.simulator.DriftScenario;
import io.fraudwatch.simulator.HandbookCsvWriter;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `backtest` refusing arguments and input before it starts any service, with the file and line at
 * fault.
 */
class BacktestCommandTest {
  private static final String ROWS =
      """
      0,2018-04-01T00:00:31,596,3156,57.16,31,0,0,0
      1,2018-04-01T00:02:10,4961,3412,81.51,130,0,1,2
      """;

  /** Rows of other transactions, for a second file. */
  private static final String OTHER_ROWS =
      ROWS.replace("0,2018-04-01T00:00:31", "2,2018-04-01T00:00:31")
          .replace("1,2018-04-01T00:02:10", "3,2018-04-01T00:02:10");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no stop expected");
        };
    String[] full = new String[args.length + 3];
    full[0] = "backtest";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--work-dir";
    full[args.length + 2] = dir.resolve("work").toString();
    return FraudwatchCommand.run(
        Map.of(), neverUsed, new PrintWriter(out, true), new PrintWriter(err, true), full);
  }

  private Path csv(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void helpAndBadFlags() {
    assertThat(run("--help")).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains("--csv=FILE", "--test-from", "--bootstrap-to", "--report", "--out", "Exit codes");

    assertThat(run()).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv");
    assertThat(run("--csv", "x.csv", "--no-such-flag")).isEqualTo(Cli.USAGE);
    assertThat(run("--csv", "x.csv", "--test-from", "8 August")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--test-from").contains("8 August");
    assertThat(run("--csv", "x.csv", "--label-delay", "a week")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("'a week' is not a duration");
  }

  @Test
  void missingFilesAndFilesGivenTwice() throws IOException {
    assertThat(run("--csv", dir.resolve("missing.csv").toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv " + dir.resolve("missing.csv") + ": no such file");

    Path file = csv("h.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    assertThat(run("--csv", file.toString(), dir.resolve(".").resolve("h.csv").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("is the same file as " + file + ", given twice");
  }

  @Test
  void aFileThatIsNotHandbookCsvIsNamedWithItsLine() throws IOException {
    Path good = csv("good.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    Path people = csv("people.csv", "name,age\nada,36\n");
    Path binary = dir.resolve("model.bin.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(binary))) {
      o.write(new byte[] {0, 1, 2, 3, 10});
    }
    Path features =
        csv(
            "features.csv",
            HandbookCsvWriter.HEADER + "\n0,2018-04-01T00:00:31,596,3156,-0.2,31,0,0.003,0\n");

    assertThat(run("--csv", good.toString(), people.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains(people + ":1: not handbook CSV: missing required column(s) TRANSACTION_ID");
    assertThat(run("--csv", binary.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains(binary + ":1: not handbook CSV: binary");
    assertThat(run("--csv", features.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains(features + ":2: none of its 1 data rows could be read")
        .contains("TX_AMOUNT is negative: -0.2");
  }

  @Test
  void badRowsAreCountedAndShownWithFileAndLine() throws IOException {
    Path file =
        csv(
            "h.csv",
            HandbookCsvWriter.HEADER
                + "\n"
                + ROWS
                + "2,2018-04-01T00:03:00,7,8,lots,180,0,0,0\n"
                + "3,2018-04-01T00:04:00,7,8\n");

    // nothing of the file is in the test window: the command stops after reading, before any
    // service starts
    assertThat(run("--csv", file.toString(), "--test-from", "2018-08-08")).isEqualTo(Cli.NOT_FOUND);

    assertThat(out.toString()).contains("2 unreadable rows skipped");
    assertThat(err.toString())
        .contains("warning: skipped " + file + ":4: TX_AMOUNT: not a number: 'lots'")
        .contains("warning: skipped " + file + ":5: expected 9 fields, got 4")
        .contains("no transactions in the test window 2018-08-08..2018-08-14");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void daysThatDoNotMakeABacktest() throws IOException {
    Path file = csv("h.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);

    assertThat(
            run(
                "--csv",
                file.toString(),
                "--test-from",
                "2018-08-08",
                "--bootstrap-to",
                "2018-08-03"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("--bootstrap-to 2018-08-03 is too late")
        .contains("the latest is 2018-07-31");
    assertThat(
            run("--csv", file.toString(), "--test-from", "2018-08-08", "--test-to", "2018-08-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--test-to 2018-08-01 is before --test-from 2018-08-08");
    assertThat(run("--csv", file.toString(), "--max-lag", "0")).isEqualTo(Cli.USAGE);
    assertThat(
            run("--csv", file.toString(), "--report", dir.resolve("no/such/dir/r.json").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("cannot write there");
  }

  @Test
  void manifestsWithDifferentDriftStartsAreRefused() throws IOException {
    Path first = csv("first.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    Path second = csv("second.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    manifest(first, "2018-04-01");
    manifest(second, "2018-04-02");

    assertThat(run("--csv", first.toString(), second.toString())).isEqualTo(Cli.USAGE);

    assertThat(err.toString())
        .contains(
            "the files' scenario manifests give different drift starts (2018-04-01 in "
                + dir.resolve("first.scenario.json")
                + ", 2018-04-02 in "
                + dir.resolve("second.scenario.json")
                + "): give --drift-start-day");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void aDriftAfterTheDataOrTooEarlyForABootstrapWindowIsRefusedBeforeAnyServiceStarts()
      throws IOException {
    Path first = csv("first.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    Path second = csv("second.csv", HandbookCsvWriter.HEADER + "\n" + OTHER_ROWS);
    manifest(first, "2018-04-10");

    assertThat(run("--csv", first.toString())).isEqualTo(Cli.USAGE);
    assertThat(out.toString())
        .contains("Drift from 2018-04-10 (new-pattern (card testing): ")
        .contains(", from " + dir.resolve("first.scenario.json") + ")");
    assertThat(err.toString())
        .contains("the drift starts on 2018-04-10, after the data's last day 2018-04-01");

    // two manifests that agree give the drift; the window a week before it needs a bootstrap
    // window before the data
    manifest(first, "2018-04-01");
    manifest(second, "2018-04-01");
    assertThat(run("--csv", first.toString(), second.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains(
            "a test window from a week before the drift (2018-03-25..) needs the bootstrap window"
                + " 2018-03-11..2018-03-17, which starts before the data's first day 2018-04-01:"
                + " give --test-from/--test-to, or a drift start at least 21 days after it");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void aManifestThatIsNotOneIsRefusedUnlessTheFlagGivesTheDrift() throws IOException {
    Path file = csv("h.csv", HandbookCsvWriter.HEADER + "\n" + ROWS);
    Path manifest = ScenarioManifest.pathFor(file);
    for (String content :
        List.of(
            "null",
            "{\"scenario\": \"new-pattern\"}",
            "{\"scenario\": \"x\", \"csv_sha256\": \"00\", \"drift_start_day\": \"someday\"}",
            "not json")) {
      Files.writeString(manifest, content);
      err.getBuffer().setLength(0);

      assertThat(run("--csv", file.toString())).as(content).isEqualTo(Cli.USAGE);
      assertThat(err.toString())
          .as(content)
          .contains(manifest + ": not a scenario manifest as simulate writes it (")
          .contains("remove it or give --drift-start-day");
    }

    // the flag's drift: the manifest is not read, and the run goes on to the window's check
    assertThat(run("--csv", file.toString(), "--drift-start-day", "2018-04-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("which starts before the data's first day 2018-04-01");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  private static void manifest(Path csv, String driftStart) throws IOException {
    SimulationParameters p =
        SimulationParameters.builder().drift(DriftScenario.NewPattern.startingOn(0)).build();
    ScenarioManifest.of(csv, "new-pattern", p, Optional.of(LocalDate.parse(driftStart)), 2, 0)
        .writeFor(csv);
  }

  @Test
  void aBootstrapWindowThatStartsBeforeTheDataIsRefusedBeforeAnyServiceStarts() throws IOException {
    Path file =
        csv(
            "h.csv",
            HandbookCsvWriter.HEADER
                + "\n"
                + ROWS
                + "2,2018-04-20T10:00:00,596,3156,20.00,1677600,19,0,0\n");

    assertThat(
            run(
                "--csv",
                file.toString(),
                "--test-from",
                "2018-04-20",
                "--bootstrap-from",
                "2018-03-25"))
        .isEqualTo(Cli.USAGE);

    assertThat(err.toString())
        .contains(
            "the bootstrap window 2018-03-25..2018-04-12 starts before the data's first day"
                + " 2018-04-01: give a later --bootstrap-from or --test-from");
    assertThat(dir.resolve("work")).doesNotExist();
  }
}
