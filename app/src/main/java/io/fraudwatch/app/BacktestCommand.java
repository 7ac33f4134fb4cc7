package io.fraudwatch.app;

import io.fraudwatch.app.backtest.BacktestCharts;
import io.fraudwatch.app.backtest.BacktestDatabase;
import io.fraudwatch.app.backtest.BacktestInput;
import io.fraudwatch.app.backtest.BacktestPlan;
import io.fraudwatch.app.backtest.BacktestReport;
import io.fraudwatch.app.backtest.BacktestResult;
import io.fraudwatch.app.demo.DemoDatabase;
import io.fraudwatch.app.pipeline.Bootstrap;
import io.fraudwatch.app.pipeline.JobStream;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.training.LabelledHistory;
import io.fraudwatch.models.training.TrainingOptions;
import io.fraudwatch.scoring.job.ScoringConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Run handbook CSV through the real pipeline; compare with the handbook's figures.",
      "Reads the CSV files (plain or gzip, columns in any order), fits the bootstrap",
      "model on the bootstrap window and promotes it, seeds the feature history, then",
      "replays every transaction after the bootstrap window up to the end of the test",
      "window through Kafka into the scoring job, in event-time order and as fast as",
      "the job keeps up, each label one label delay after its transaction. The job runs",
      "as in production, with its configuration (online learning included). Then it",
      "computes, from the scored rows in PostgreSQL, AUC ROC, average precision and",
      "card precision@100 on the test window, overall and per day, for the champion and",
      "the challenger scores. Defaults: the test window is the last 7 days of the data",
      "(or 7 days from --test-from; or, with a drift start, from a week before it to",
      "the end); the bootstrap window the 7 days ending on the last day whose labels",
      "are all known when the test starts (2018-07-25..31 for a test from 2018-08-08",
      "with the 7-day delay). Embedded Kafka and PostgreSQL in",
      "--work-dir, wiped first; with kafka.bootstrap / jdbc.url configured it uses",
      "those, which must hold no scored transactions in the backtest's period (use a",
      "sandbox)."
    },
    footer = {
      "%nExit codes: 0 done; 1 the job failed or stalled; 2 bad arguments, a",
      "file that is missing, unreadable or not handbook CSV, a scenario manifest that",
      "is not one or manifests that disagree, or days that do not make a backtest; 3",
      "no transactions in the test window; 4 the configured database already holds",
      "scored transactions of the period; 130 stopped with Ctrl-C (143 by SIGTERM)."
    })
final class BacktestCommand implements Callable<Integer> {
  static final Path DEFAULT_WORK_DIR = Path.of("work", "backtest");
  static final String BACKTEST_JOB_NAME = "fraudwatch-backtest";

  /**
   * Where nothing is configured: its own job name; labels learned in steps of 12 hours of event
   * time and an online version after each step (never by wall time), and the replay waits at each
   * step's end until the learner has learned it, so that two runs of the same command learn the
   * same versions and each takes over at the same transaction however fast the machine is (a
   * version every 5 s of wall time fell elsewhere in event time at each run); and no Spark
   * backpressure: the replay bounds the job's lag itself, and backpressure throttles each stream on
   * its own, which let the labels stream (one label per transaction here) fall behind the
   * transactions and starve the terminals' risk features (a run measured AUC 0.765 instead of 0.867
   * that way).
   */
  static final Map<String, String> BACKTEST_DEFAULTS =
      Map.of(
          "job.name",
          BACKTEST_JOB_NAME,
          "learning.event-time-step",
          "12h",
          "learning.version-every-batches",
          "1",
          "learning.version-every",
          "0",
          "job.backpressure",
          "false",
          // sessions and activity windows do not change what is measured
          "stream-state.enabled",
          "false");

  static final String REPORT_FILE = "backtest.md";
  static final int TOP_K = 100;

  @Mixin ConfigOptions config;
  @Mixin ExistingDataGuard.Flag existingData;
  @Spec CommandSpec spec;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      arity = "1..*",
      required = true,
      description = "handbook CSV file(s), plain or gzip, in any order (merged by event time)")
  List<Path> files;

  @Option(
      names = "--label-delay",
      defaultValue = "7d",
      paramLabel = "DURATION",
      converter = ReplayFlags.DurationConverter.class,
      description =
          "how long after a transaction its label arrives; also the job's features.label-delay"
              + " (default: ${DEFAULT-VALUE})")
  Duration labelDelay;

  @Option(
      names = "--test-from",
      paramLabel = "YYYY-MM-DD",
      description = "first day of the test window (UTC)")
  LocalDate testFrom;

  @Option(
      names = "--test-to",
      paramLabel = "YYYY-MM-DD",
      description = "last day of the test window (UTC, inclusive)")
  LocalDate testTo;

  @Option(
      names = "--bootstrap-from",
      paramLabel = "YYYY-MM-DD",
      description = "first day the bootstrap model learns from")
  LocalDate bootstrapFrom;

  @Option(
      names = "--bootstrap-to",
      paramLabel = "YYYY-MM-DD",
      description =
          "last day the bootstrap model learns from; its labels must be known when the test window starts")
  LocalDate bootstrapTo;

  @Mixin ReportOption report;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description =
          "a rule file (JSON, as `rules export` writes it; docs/rules.md): its active rules are enabled"
              + " before the replay, and the report adds the model alone, the rules alone and the combined"
              + " decision (precision, recall, card precision@100 per day)")
  Path rulesFile;

  private List<io.fraudwatch.models.rules.RuleFile.Entry> rules = List.of();

  @Option(
      names = "--drift-start-day",
      paramLabel = "YYYY-MM-DD",
      description =
          "the first day of a drift in the data: the report gives each model's days to recover from"
              + " it, and the default test window runs from a week before it to the end of the data"
              + " (default: the drift start in the manifest that simulate --csv writes beside the"
              + " file, d.scenario.json for d.csv.gz)")
  LocalDate driftStart;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "write "
              + REPORT_FILE
              + " (comparison with the published figures, per day, model versions) and"
              + " PNG plots (daily CP@100 and AUC ROC, alert volume, model versions) into DIR")
  Path out;

  @Option(
      names = "--max-lag",
      defaultValue = "20000",
      paramLabel = "N",
      description = "at most N transactions in Kafka ahead of the job (default: ${DEFAULT-VALUE})")
  long maxLag;

  // 1 as the handbook's logistic regression; on its data the unweighted fit also ranks the top
  // better (AP 0.605
  // instead of 0.584 balanced)
  @Option(
      names = "--fraud-weight",
      defaultValue = "1",
      paramLabel = "W|balanced",
      description =
          "how much one fraud counts in the bootstrap fit's loss, as for 'models train' (balanced ="
              + " genuine/fraud count); the online learner keeps that balance (default: ${DEFAULT-VALUE}, as the handbook)")
  String fraudWeight;

  @Mixin BatchIntervalOption batchInterval;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "directory for the embedded services' data (default: work/backtest); emptied first if a backtest made it")
  Path workDir;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  BacktestCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    validate();
    CsvInput.requireReadable(files);
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("work-dir", (workDir == null ? DEFAULT_WORK_DIR : workDir).toString());
    flags.put("features.label-delay", Durations.format(labelDelay));
    batchInterval.putInto(flags);
    Settings settings = ScratchRun.settings(config, env, flags, BACKTEST_DEFAULTS);
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    Laps laps = new Laps(t0);
    Input input = read(drift(err), stdout, err);
    laps.lap("read");
    BacktestPlan plan = input.plan();
    stdout.printf(
        "Bootstrap %s..%s (history from %s), replay %s..%s (%,d transactions), test %s..%s%n",
        plan.bootstrapFrom(),
        plan.bootstrapTo(),
        LocalDate.ofInstant(plan.historyStart(), ZoneOffset.UTC),
        plan.bootstrapTo().plusDays(1),
        plan.testTo(),
        input.split().replay().size(),
        plan.testFrom(),
        plan.testTo());
    stdout.flush();
    ScratchRun.prepare(runtimeConfig, "backtest", stdout, err);

    AtomicBoolean stopRequested = new AtomicBoolean();
    stopSignal.whenStopped("fraudwatch-backtest-stop", () -> stopRequested.set(true));
    try (QuietLogs quiet = QuietLogs.forLiveProgress();
        FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, stdout)) {
      laps.lap("services");
      Services services = runtime.services();
      ExistingDataGuard.check(
          "backtest",
          runtimeConfig,
          services,
          services.topics().all(),
          existingData.allowExistingData,
          err);
      PGSimpleDataSource db = services.jobDataSource();
      BacktestDatabase backtestDb = new BacktestDatabase(db);
      long existing = new DemoDatabase(db).scored(plan.historyStart(), plan.testEnd());
      if (existing > 0) {
        throw new CommandFailure(
            Cli.REFUSED,
            String.format(
                Locale.ROOT,
                "the database at %s already holds %,d scored"
                    + " transactions between %s and %s: a backtest needs a sandbox without them",
                services.jdbcUrl(),
                existing,
                plan.historyStart(),
                plan.testEnd()));
      }
      ModelStore store = new ModelStore(db, HandbookFeatures.SCHEMA);
      Bootstrap.Trained bootstrap;
      try {
        bootstrap =
            Bootstrap.run(
                new LabelledHistory(
                    input.split().history(),
                    Set.of(),
                    "handbook CSV "
                        + String.join(
                            ", ", files.stream().map(f -> f.getFileName().toString()).toList())),
                plan.trainingWindow(),
                new TrainingOptions(
                    scoring.modelName(),
                    "backtest",
                    plan.features(),
                    fraudWeight(),
                    OptionalDouble.empty()),
                store,
                db,
                "backtest",
                stdout);
      } catch (IllegalArgumentException e) {
        throw new CommandFailure(
            Cli.USAGE,
            "cannot train the bootstrap model on "
                + plan.bootstrapFrom()
                + ".."
                + plan.bootstrapTo()
                + ": "
                + e.getMessage()
                + "; check --bootstrap-from/--bootstrap-to against the data",
            e);
      }
      laps.lap("bootstrap");
      if (rulesFile != null) {
        io.fraudwatch.models.rules.RuleFile.Outcome installed =
            io.fraudwatch.app.backtest.RulesBacktest.install(
                services
                    .operatorDataSource()
                    .orElseThrow(
                        () ->
                            new CommandFailure(
                                Cli.USAGE,
                                "--rules needs the operator's login: run the backtest on its embedded"
                                    + " database")),
                rules);
        stdout.printf(
            "Rules from %s: %d stored, %d enabled%n",
            rulesFile, installed.added(), installed.enabled());
        laps.lap("rules");
      }

      Optional<JobStream.Streamed> streamed =
          stopRequested.get()
              ? Optional.empty()
              : JobStream.run(
                  input.split().replay(),
                  scoring,
                  services,
                  runtimeConfig.database().poolSize(),
                  new JobStream.Options(
                      labelDelay,
                      OptionalDouble.empty(),
                      OptionalLong.of(maxLag),
                      scoring.learning().enabled()
                          ? scoring.learning().eventTimeStep()
                          : Duration.ZERO),
                  stopRequested,
                  err);
      if (streamed.isEmpty()) {
        err.println(
            "error: stopped before every transaction was scored (Ctrl-C); the data so far stays in "
                + runtimeConfig.workDir());
        return Cli.FAILURE;
      }

      laps.lap("streaming");
      stdout.println("Computing the metrics from the scored transactions ...");
      stdout.flush();
      // the static model: the bootstrap version, scoring each row's stored raw features as if it
      // had stayed champion
      ModelVersion staticModel = store.require(bootstrap.versionId());
      BacktestResult result =
          BacktestResult.of(
              plan,
              TOP_K,
              input.split().replay(),
              backtestDb.scored(
                  plan.replayStart(), plan.testEnd(), staticModel.scorer()::probability),
              input.split().known());
      laps.lap("metrics");
      BacktestReport summary =
          new BacktestReport(
              result,
              files,
              input.loaded().report().rowsRead(),
              input.loaded().report().rowsSkipped(),
              bootstrap.versionId(),
              bootstrap.result().aucRoc(),
              input.split().history().size(),
              streamed.get().seconds(),
              laps.seconds(),
              ModelVersionLine.of(store, scoring.modelName()),
              store.history(scoring.modelName()),
              used(settings, runtimeConfig, plan),
              input.driftStart());
      stdout.printf(
          "%nBacktest done in %.0f s: %,d transactions replayed, %,.0f events/s; test window %s..%s,"
              + " %,d transactions scored, %,d assessed (%,d of cards already known compromised left out):%n%s",
          summary.elapsedSeconds(),
          result.transactionsReplayed(),
          summary.eventsPerSecond(),
          plan.testFrom(),
          plan.testTo(),
          result.transactionsScored(),
          result.champion().transactions(),
          result.knownCompromisedRemoved(),
          summary.table());
      stdout.println("Time by phase: " + summary.phases());
      if (result.notScored() > 0) {
        err.printf(
            "warning: %,d replayed transactions have no scored row (the job dead-lettered them)%n",
            result.notScored());
      }
      Object json = summary.json();
      if (rulesFile != null) {
        Map<String, io.fraudwatch.models.rules.RuleAction> actions = new LinkedHashMap<>();
        rules.forEach(r -> actions.put(r.name(), r.action()));
        io.fraudwatch.app.backtest.RulesBacktest.Decisions decisions =
            io.fraudwatch.app.backtest.RulesBacktest.evaluate(
                db,
                plan.testFrom().atStartOfDay().toInstant(ZoneOffset.UTC),
                plan.testEnd(),
                input.split().replay(),
                actions);
        stdout.printf(
            "%nDecisions on the test window (rules from %s):%n%s", rulesFile, decisions.table());
        json =
            new io.fraudwatch.app.backtest.RulesBacktest.Report(
                json,
                rulesFile.toString(),
                rules.stream().filter(r -> r.active()).map(r -> r.name()).toList(),
                decisions.model(),
                decisions.rules(),
                decisions.combined());
      }
      write(summary, json, stdout);
      stdout.flush();
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }

  /** Wall time of the run's phases, in the order they ran. */
  private static final class Laps {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final long start;
    private long last;

    Laps(long start) {
      this.start = start;
      this.last = start;
    }

    void lap(String phase) {
      long now = System.nanoTime();
      seconds.put(phase, (now - last) / 1e9);
      last = now;
    }

    Map<String, Double> seconds() {
      Map<String, Double> all = new LinkedHashMap<>(seconds);
      all.put("total", (System.nanoTime() - start) / 1e9);
      return all;
    }
  }

  private OptionalDouble fraudWeight() {
    try {
      return TrainingOptions.parseFraudWeight(fraudWeight);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    }
  }

  private void validate() {
    if (labelDelay.isZero()) {
      throw new CommandFailure(Cli.USAGE, "--label-delay must be positive");
    }
    if (maxLag < 1) {
      throw new CommandFailure(Cli.USAGE, "--max-lag must be at least 1, got " + maxLag);
    }
    fraudWeight();
    report.requireWritable();
    if (rulesFile != null) {
      try {
        rules = io.fraudwatch.models.rules.RuleFile.read(Files.readString(rulesFile));
      } catch (IOException | IllegalArgumentException e) {
        throw new CommandFailure(
            Cli.USAGE, "--rules " + rulesFile + ": not a readable rule file: " + e.getMessage(), e);
      }
    }
    if (out != null && Files.exists(out) && (!Files.isDirectory(out) || !Files.isWritable(out))) {
      throw new CommandFailure(Cli.USAGE, "--out " + out + ": not a writable directory");
    }
  }

  /** A drift start and where it came from: the flag, or the manifest that gave it. */
  private record Drift(LocalDate start, Optional<ScenarioManifest> manifest, String source) {
    String describe() {
      return start
          + manifest.map(m -> " (" + m.description() + ", from " + source + ")").orElse("");
    }
  }

  /**
   * The flag's drift start, or else the one the files' scenario manifests agree on.
   *
   * @throws CommandFailure ({@link Cli#USAGE}) if they disagree
   */
  private Optional<Drift> drift(PrintWriter err) throws IOException {
    if (driftStart != null) {
      return Optional.of(new Drift(driftStart, Optional.empty(), "--drift-start-day"));
    }
    Map<LocalDate, Drift> starts = new LinkedHashMap<>();
    for (Path file : files) {
      Optional<ScenarioManifest> manifest = ScenarioManifest.readFor(file, err);
      manifest
          .flatMap(ScenarioManifest::driftStart)
          .ifPresent(
              start ->
                  starts.putIfAbsent(
                      start,
                      new Drift(start, manifest, ScenarioManifest.pathFor(file).toString())));
    }
    if (starts.size() > 1) {
      throw new CommandFailure(
          Cli.USAGE,
          "the files' scenario manifests give different drift starts ("
              + starts.values().stream()
                  .map(d -> d.start() + " in " + d.source())
                  .collect(Collectors.joining(", "))
              + "): give --drift-start-day");
    }
    return starts.values().stream().findFirst();
  }

  /** What was read, how the plan splits it, and the drift start the report measures from. */
  private record Input(
      BacktestPlan plan,
      HandbookCsv.Loaded loaded,
      BacktestInput split,
      Optional<LocalDate> driftStart) {}

  private Input read(Optional<Drift> drift, PrintWriter stdout, PrintWriter err) {
    BacktestPlan plan;
    HandbookCsv.Loaded loaded;
    boolean aroundDrift = testFrom == null && testTo == null && drift.isPresent();
    drift.ifPresent(d -> stdout.println("Drift from " + d.describe()));
    if (testFrom == null && testTo == null) {
      // the default test window ends with the data: read it all, then plan
      loaded = CsvInput.read(files, row -> true, "in all", stdout, err);
      Instant last =
          loaded.rows().stream()
              .map(HandbookRow::eventTime)
              .max(Instant::compareTo)
              .orElseThrow(() -> new CommandFailure(Cli.NOT_FOUND, "no transactions in " + files));
      plan = plan(LocalDate.ofInstant(last, ZoneOffset.UTC), drift);
    } else {
      plan = plan(null, drift);
      Predicate<HandbookRow> needed =
          row ->
              !row.eventTime().isBefore(plan.loadFrom())
                  && row.eventTime().isBefore(plan.testEnd());
      loaded =
          CsvInput.read(
              files,
              needed,
              "from "
                  + LocalDate.ofInstant(plan.loadFrom(), ZoneOffset.UTC)
                  + " to the end of the test window",
              stdout,
              err);
    }
    BacktestInput split = BacktestInput.split(loaded.rows(), plan);
    if (split.testTransactions() == 0) {
      throw new CommandFailure(
          Cli.NOT_FOUND,
          "no transactions in the test window "
              + plan.testFrom()
              + ".."
              + plan.testTo()
              + " in "
              + files);
    }
    if (split.lastDay().orElseThrow().isBefore(plan.testTo())) {
      err.println(
          "warning: the data ends on "
              + split.lastDay().orElseThrow()
              + ", before --test-to "
              + plan.testTo()
              + "; the days after have no transactions");
    }
    requireBootstrapDays(plan, loaded, aroundDrift ? drift : Optional.empty());
    Optional<LocalDate> measuredFrom = drift.map(Drift::start);
    if (drift.isPresent()
        && drift.get().manifest().isPresent()
        && !plan.measuresDrift(drift.get().start())) {
      // the user chose a window without the manifest's drift in it
      stdout.println(
          "  no recovery figures: the drift does not start within the test window, after its first day");
      measuredFrom = Optional.empty();
    }
    return new Input(plan, loaded, split, measuredFrom);
  }

  /**
   * Refuses a bootstrap window that starts before the data: the bootstrap model would learn from
   * fewer days than planned, or from none.
   *
   * @param aroundDrift the drift whose default window chose the days, for the hint
   */
  private static void requireBootstrapDays(
      BacktestPlan plan, HandbookCsv.Loaded loaded, Optional<Drift> aroundDrift) {
    LocalDate firstDay =
        LocalDate.ofInstant(
            loaded.rows().stream()
                .map(HandbookRow::eventTime)
                .min(Instant::compareTo)
                .orElseThrow(),
            ZoneOffset.UTC);
    if (!plan.bootstrapFrom().isBefore(firstDay)) {
      return;
    }
    String window = plan.bootstrapFrom() + ".." + plan.bootstrapTo();
    throw new CommandFailure(
        Cli.USAGE,
        aroundDrift
            .map(
                d ->
                    "a test window from a week before the drift ("
                        + plan.testFrom()
                        + "..) needs the bootstrap window "
                        + window
                        + ", which starts before the data's first day "
                        + firstDay
                        + ": give --test-from/--test-to, or a drift start at least "
                        + ChronoUnit.DAYS.between(plan.bootstrapFrom(), d.start())
                        + " days after it")
            .orElse(
                "the bootstrap window "
                    + window
                    + " starts before the data's first day "
                    + firstDay
                    + ": give a later --bootstrap-from or --test-from"));
  }

  private BacktestPlan plan(LocalDate lastDataDay, Optional<Drift> drift) {
    try {
      return BacktestPlan.of(
          Optional.ofNullable(testFrom),
          Optional.ofNullable(testTo),
          Optional.ofNullable(bootstrapFrom),
          Optional.ofNullable(bootstrapTo),
          labelDelay,
          lastDataDay,
          drift.map(Drift::start));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, e.getMessage(), e);
    }
  }

  private Map<String, Object> used(
      Settings settings, RuntimeConfig runtimeConfig, BacktestPlan plan) {
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("test_from", plan.testFrom().toString());
    used.put("test_to", plan.testTo().toString());
    used.put("bootstrap_from", plan.bootstrapFrom().toString());
    used.put("bootstrap_to", plan.bootstrapTo().toString());
    used.put("label_delay", Durations.format(labelDelay));
    used.put("max_lag", maxLag);
    used.put("work_dir", runtimeConfig.workDir().toString());
    used.put("embedded_kafka", runtimeConfig.kafka().embedded());
    used.put("embedded_postgres", runtimeConfig.database().embedded());
    // the job's keys as resolved (online learning's among them once the job has them)
    for (ConfigKey key : ScoringConfig.KEYS) {
      if (!key.secret()) {
        settings.optional(key.name()).ifPresent(v -> used.put(key.name(), v));
      }
    }
    return used;
  }

  private void write(BacktestReport summary, Object json, PrintWriter stdout) throws IOException {
    report.write(json, stdout);
    if (out != null) {
      Files.createDirectories(out);
      List<String> charts =
          BacktestCharts.write(
              summary.result(), summary.championChanges(), summary.driftStart(), out);
      Files.writeString(out.resolve(REPORT_FILE), summary.markdown(charts));
      stdout.println(
          "Markdown report and plots written to "
              + out.resolve(REPORT_FILE)
              + " ("
              + String.join(", ", charts)
              + ")");
    }
  }
}
