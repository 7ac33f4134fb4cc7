package io.fraudwatch.app;

import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay handbook-format CSV files into Kafka in event-time order, with labels.",
      "The files are plain or gzip: the handbook's data set or 'simulate --csv' output.",
      "Each transaction goes to topics.transactions and its label one label delay",
      "later to topics.labels.",
      "The rows are read and sorted in memory first (the handbook's 1.75 million rows",
      "fit in the default heap): nothing is sent if a file is not handbook CSV.",
      "Unparsable rows are skipped and reported with file and line."
    },
    footer = {
      "%nExit codes: 0 done; 1 Kafka failed; 2 bad arguments, a",
      "file that cannot be read or is not handbook CSV, or Kafka not configured; 3 no",
      "rows to replay, or a topic is missing; 130 stopped with Ctrl-C (143 by SIGTERM)."
    })
final class ReplayCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Mixin ReplayFlags replay;
  @Spec CommandSpec spec;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      arity = "1..*",
      required = true,
      description = "handbook CSV file(s) to replay, merged by event time")
  List<Path> files;

  @Option(
      names = "--from",
      paramLabel = "YYYY-MM-DD",
      description = "first day to replay (UTC, inclusive)")
  LocalDate from;

  @Option(
      names = "--to",
      paramLabel = "YYYY-MM-DD",
      description = "last day to replay (UTC, inclusive)")
  LocalDate to;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  ReplayCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    CsvInput.requireReadable(files);
    if (from != null && to != null && to.isBefore(from)) {
      throw new CommandFailure(Cli.USAGE, "--to " + to + " is before --from " + from);
    }
    ReplayOptions options = replay.options();
    KafkaSettings kafka = KafkaSettings.from(config.load(KafkaSettings.KEYS, env, Map.of()));
    String bootstrap = KafkaReplayRun.requireExternalKafka(kafka, "replay");

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HandbookCsv.Loaded loaded = CsvInput.read(files, window(), "in the date window", out, err);
    if (loaded.rows().isEmpty()) {
      throw new CommandFailure(
          Cli.NOT_FOUND,
          "nothing to replay: no rows"
              + (from == null && to == null
                  ? ""
                  : " between "
                      + (from == null ? "the start" : from)
                      + " and "
                      + (to == null ? "the end" : to))
              + " in "
              + files);
    }
    List<HandbookRow> rows = HandbookCsv.sortedForReplay(loaded.rows());
    return KafkaReplayRun.run(
        rows.stream().map(ReplayTransaction::of).iterator(),
        bootstrap,
        kafka,
        options,
        stopSignal,
        out,
        err);
  }

  private Predicate<HandbookRow> window() {
    if (from == null && to == null) {
      return row -> true;
    }
    // open ends as the extreme dates whose following day still exists
    return HandbookCsv.onDates(
        from == null ? LocalDate.MIN : from, to == null ? LocalDate.MAX.minusDays(1) : to);
  }
}
