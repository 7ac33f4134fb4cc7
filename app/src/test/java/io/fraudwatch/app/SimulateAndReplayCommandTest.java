package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.simulator.HandbookCsvWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments of `simulate` and `replay` that are refused before anything is sent, and `simulate --csv`. */
class SimulateAndReplayCommandTest {
  private static final Map<String, String> NO_KAFKA = Map.of();
  /** Nothing listens here: a command that got as far as connecting would fail with another message. */
  private static final Map<String, String> SOME_KAFKA = Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:1");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    StopSignal neverUsed = () -> {
      throw new AssertionError("no stop expected");
    };
    return FraudwatchCommand.run(env, neverUsed, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void simulateNeedsExactlyOneDestination() {
    assertThat(run(NO_KAFKA, "simulate")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv").contains("--to-kafka");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--csv", dir.resolve("x.csv").toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void simulateRefusesCountsThatAreNotPositive() {
    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--customers", "-5")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--customers must be positive, got -5");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--days", "0")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--days must be positive, got 0");
  }

  @Test
  void simulateRefusesABadDateOrDelayOrRate() {
    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--start-date", "2018-13-01")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--start-date").contains("2018-13-01");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--label-delay", "a week")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--label-delay").contains("'a week' is not a duration");

    assertThat(run(SOME_KAFKA, "simulate", "--to-kafka", "--rate", "-10")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--rate must be a positive number");
  }

  @Test
  void toKafkaWithoutAConfiguredBrokerSaysHowToGetOne() {
    assertThat(run(NO_KAFKA, "simulate", "--to-kafka", "--customers", "10")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("kafka.bootstrap is unset").contains("dev-env")
        .contains("source work/dev-env.sh");
  }

  @Test
  void simulateWritesHandbookCsvThatTheReaderAccepts() throws Exception {
    Path csv = dir.resolve("sim.csv.gz");
    assertThat(run(NO_KAFKA, "simulate", "--csv", csv.toString(), "--customers", "20", "--terminals", "40",
        "--days", "3", "--start-date", "2018-05-01", "--seed", "7")).as(err.toString()).isEqualTo(Cli.OK);

    var loaded = new HandbookCsv().readAll(List.of(csv));
    assertThat(loaded.report().rowsSkipped()).isZero();
    assertThat(loaded.rows()).isNotEmpty();
    assertThat(out.toString()).contains(String.format("Wrote %,d transactions", loaded.rows().size()))
        .contains("over 3 days from 2018-05-01");
  }

  @Test
  void simulateToCsvRefusesReplayFlags() {
    assertThat(run(NO_KAFKA, "simulate", "--csv", dir.resolve("x.csv").toString(), "--rate", "100")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("apply to --to-kafka only");
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }

  @Test
  void simulateRefusesACsvPathInAMissingDirectory() {
    assertThat(run(NO_KAFKA, "simulate", "--csv", dir.resolve("no/such/dir/x.csv").toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("cannot write there");
  }

  @Test
  void replayNeedsFiles() {
    assertThat(run(SOME_KAFKA, "replay")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--csv");
  }

  @Test
  void replayRefusesAMissingFile() {
    assertThat(run(SOME_KAFKA, "replay", "--csv", dir.resolve("missing.csv").toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("missing.csv: no such file");
  }

  @Test
  void replayRefusesAFileThatIsNotHandbookCsv() throws Exception {
    Path notHandbook = Files.writeString(dir.resolve("people.csv"), "name,age\nada,36\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", notHandbook.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("people.csv").contains("not handbook CSV")
        .contains("missing required column(s) TRANSACTION_ID");
  }

  @Test
  void replayRefusesABadDateWindow() throws Exception {
    Path csv = Files.writeString(dir.resolve("h.csv"), HandbookCsvWriter.HEADER + "\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", csv.toString(), "--from", "yesterday")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--from").contains("yesterday");

    assertThat(run(SOME_KAFKA, "replay", "--csv", csv.toString(), "--from", "2018-05-02", "--to", "2018-05-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--to 2018-05-01 is before --from 2018-05-02");
  }

  @Test
  void replayOfNoRowsIsNotFound() throws Exception {
    Path csv = Files.writeString(dir.resolve("h.csv"), HandbookCsvWriter.HEADER + "\n"
        + "0,2018-04-01T00:07:56,596,3156,57.16,476,0,0,0\n");
    assertThat(run(SOME_KAFKA, "replay", "--csv", csv.toString(), "--from", "2018-05-01")).isEqualTo(Cli.NOT_FOUND);
    assertThat(err.toString()).contains("nothing to replay: no rows between 2018-05-01 and the end");
  }

  @Test
  void replayWithoutAConfiguredBrokerSaysHowToGetOne() throws Exception {
    Path csv = Files.writeString(dir.resolve("h.csv"), HandbookCsvWriter.HEADER + "\n");
    assertThat(run(NO_KAFKA, "replay", "--csv", csv.toString())).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("kafka.bootstrap is unset").contains("source work/dev-env.sh");
  }
}
