package io.fraudwatch.models.cli;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookFormatException;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.training.BatchTrainer;
import io.fraudwatch.models.training.DatabaseHistory;
import io.fraudwatch.models.training.LabelledHistory;
import io.fraudwatch.models.training.SparkLogisticRegression;
import io.fraudwatch.models.training.TrainingOptions;
import io.fraudwatch.models.training.TrainingWindow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Fit a logistic regression on labelled history; store it as a `batch` version.",
      "Features are the job's (the handbook set, spending deviations, bursts:",
      "docs/learning.md); the last --validation-days of the window are held out and",
      "scored with the stored weights (AUC ROC, average precision). The version is",
      "stored, not promoted."
    })
final class TrainCommand extends StoreCommand {

  static final class Source {
    @Option(
        names = "--csv",
        paramLabel = "FILE",
        arity = "1..*",
        description =
            "handbook-format CSV file(s), gzip or plain (e.g. shared/data/handbook-raw/handbook-raw-2018-07.csv.gz)")
    List<Path> csv;

    @Option(
        names = "--from-database",
        description = "the scored transactions and labels in the configured database")
    boolean database;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DATE",
      description = "first UTC day of the window (yyyy-mm-dd)")
  LocalDate from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DATE",
      description = "last UTC day of the window, inclusive")
  LocalDate to;

  @Option(
      names = "--validation-days",
      defaultValue = "2",
      paramLabel = "N",
      description = "last days of the window held out for validation (default: ${DEFAULT-VALUE})")
  int validationDays;

  @Option(
      names = "--label-delay-days",
      defaultValue = "7",
      paramLabel = "N",
      description =
          "days until a label is known; terminal risk windows end this long before (default: ${DEFAULT-VALUE})")
  int labelDelayDays;

  @Option(
      names = "--fraud-weight",
      defaultValue = "balanced",
      paramLabel = "W|balanced",
      description =
          "how much one fraud counts in the loss; balanced = genuine/fraud count (default: ${DEFAULT-VALUE})")
  String fraudWeight;

  @Option(
      names = "--reg-param",
      defaultValue = "0.0001",
      paramLabel = "L2",
      description = "L2 regularisation strength (default: ${DEFAULT-VALUE})")
  double regParam;

  @Option(
      names = "--max-iterations",
      defaultValue = "100",
      paramLabel = "N",
      description = "L-BFGS iterations at most (default: ${DEFAULT-VALUE})")
  int maxIterations;

  @Option(
      names = "--threshold",
      paramLabel = "T",
      description =
          "decision threshold to store, in (0, 1) (default: the best F1 on the validation days)")
  Double threshold;

  @Option(
      names = "--model",
      defaultValue = ModelContent.DEFAULT_MODEL,
      description = "model name (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--actor", paramLabel = "NAME", description = "who (default: $USER)")
  String actor;

  @Override
  void run(ModelStore store, PrintWriter out) {
    TrainingWindow window;
    TrainingOptions options;
    SparkLogisticRegression fitter;
    if (labelDelayDays <= 0) {
      throw new CommandFailure(
          Cli.USAGE, "--label-delay-days must be positive, got " + labelDelayDays);
    }
    try {
      window = new TrainingWindow(from, to, validationDays);
      options =
          new TrainingOptions(
              model,
              actor(actor),
              new HandbookFeatures.Config(Duration.ofDays(labelDelayDays)),
              TrainingOptions.parseFraudWeight(fraudWeight),
              threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold));
      fitter = new SparkLogisticRegression(regParam, maxIterations);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage());
    }
    LabelledHistory history =
        source.database ? fromDatabase(store, window, options, out) : fromCsv(window, options, out);
    out.flush();

    BatchTrainer.Result result;
    try {
      result =
          new BatchTrainer(
                  fitter,
                  Clock.systemUTC(),
                  line -> {
                    out.println(line);
                    out.flush();
                  })
              .train(history, window, options);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.REFUSED, e.getMessage());
    }
    long id = store.save(result.newVersion());

    out.printf(
        Locale.ROOT,
        "validation %s..%s: %d transactions, %d frauds%n",
        window.validationFrom(),
        window.to(),
        result.validationRows(),
        result.validationFrauds());
    out.println("validation AUC ROC:           " + Format.number(result.aucRoc()));
    out.println("validation average precision: " + Format.number(result.averagePrecision()));
    out.println("decision threshold:           " + Format.number(result.content().threshold()));
    out.println(
        "stored "
            + ModelVersion.label(id)
            + " (batch) of "
            + model
            + "; put it to work with: "
            + "bin/fraudwatch models promote "
            + ModelVersion.label(id)
            + " --reason \"...\"");
  }

  private LabelledHistory fromCsv(TrainingWindow window, TrainingOptions options, PrintWriter out) {
    CsvFiles.requireReadable(source.csv);
    LocalDate historyFrom =
        LocalDate.ofInstant(window.historyStart(options.features()), ZoneOffset.UTC);
    out.println(
        "reading "
            + source.csv.size()
            + " CSV file(s), transactions of "
            + historyFrom
            + ".."
            + window.to());
    out.flush();
    HandbookCsv.Loaded loaded;
    try {
      loaded = new HandbookCsv().readAll(source.csv, HandbookCsv.onDates(historyFrom, window.to()));
    } catch (HandbookFormatException e) {
      throw new CommandFailure(Cli.REFUSED, e.getMessage());
    } catch (IOException e) {
      // a truncated gzip, say: the file is bad, as a format error says
      throw new CommandFailure(Cli.REFUSED, "cannot read the CSV: " + e.getMessage(), e);
    }
    out.println(loaded.report().summary());
    String files =
        source.csv.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
    return new LabelledHistory(loaded.rows(), Set.of(), "handbook CSV " + files);
  }

  private LabelledHistory fromDatabase(
      ModelStore store, TrainingWindow window, TrainingOptions options, PrintWriter out) {
    out.println("reading scored transactions and labels from the database");
    out.flush();
    try {
      return DatabaseHistory.load(
          store.dataSource(), window.historyStart(options.features()), window.endExclusive());
    } catch (SQLException e) {
      throw new CommandFailure(
          Cli.FAILURE, "cannot read the scored transactions and labels: " + e.getMessage(), e);
    }
  }
}
