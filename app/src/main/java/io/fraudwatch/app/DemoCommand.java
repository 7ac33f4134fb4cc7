package io.fraudwatch.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.app.demo.DemoData;
import io.fraudwatch.app.demo.DemoDatabase;
import io.fraudwatch.app.demo.DemoSummary;
import io.fraudwatch.app.pipeline.Bootstrap;
import io.fraudwatch.app.pipeline.JobStream;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.training.LabelledHistory;
import io.fraudwatch.models.training.TrainingOptions;
import io.fraudwatch.models.training.TrainingWindow;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole product end to end on simulated transactions, then print a summary.",
        "Starts embedded Kafka and PostgreSQL (data in --work-dir, which a new demo wipes first), simulates",
        "customers, terminals and transactions (seeded), trains a bootstrap model on the first days and promotes",
        "it, streams the remaining days through Kafka into the scoring job with labels one label delay later,",
        "and compares the alerts with the simulated truth.",
        "With kafka.bootstrap / jdbc.url configured it uses those services instead and writes its transactions,",
        "labels, history, model version and scores into them: use it on a sandbox, not on production."},
    footer = {"%nExit codes: 0 done; 1 the job failed, stalled or was stopped; 2 bad arguments or a --work-dir"
        + " that a demo did not make."})
final class DemoCommand implements Callable<Integer> {
  static final Path DEFAULT_WORK_DIR = Path.of("work", "demo");
  static final String DEMO_JOB_NAME = "fraudwatch-demo";

  @Mixin ConfigOptions config;
  @Mixin ExistingDataGuard.Flag existingData;
  @Spec CommandSpec spec;

  @Option(names = "--customers", defaultValue = "2000", paramLabel = "N", description = "customers (default: ${DEFAULT-VALUE})")
  int customers;

  @Option(names = "--terminals", defaultValue = "4000", paramLabel = "N", description = "terminals (default: ${DEFAULT-VALUE})")
  int terminals;

  @Option(names = "--days", defaultValue = "50", paramLabel = "N",
      description = "simulated days, bootstrap days included (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--bootstrap-days", defaultValue = "21", paramLabel = "N",
      description = "first days: the bootstrap model learns from them and they become the job's feature history;"
          + " the rest is streamed (default: ${DEFAULT-VALUE})")
  int bootstrapDays;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "simulation seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--label-delay", defaultValue = "7d", paramLabel = "DURATION", converter = ReplayFlags.DurationConverter.class,
      description = "how long after a transaction its label arrives; also the job's features.label-delay (default: ${DEFAULT-VALUE})")
  Duration labelDelay;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "N",
      description = "transactions per second into Kafka, 0 = as fast as Kafka takes them (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--batch-interval", paramLabel = "DURATION", description = "micro-batch interval (job.batch-interval, default 1s)")
  String batchInterval;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the summary as JSON to FILE")
  Path report;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "directory for the embedded services' data (default: work/demo); emptied first if a demo made it")
  Path workDir;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  DemoCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("work-dir", (workDir == null ? DEFAULT_WORK_DIR : workDir).toString());
    flags.put("features.label-delay", Durations.format(labelDelay));
    if (batchInterval != null) flags.put("job.batch-interval", batchInterval);
    // its minute of streaming should show online versions being learned
    Settings settings = ScratchRun.settings(config, env, flags,
        Map.of("job.name", DEMO_JOB_NAME, "learning.version-every", "5s"));
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScratchRun.prepare(runtimeConfig, "demo", out, err);

    AtomicBoolean stopRequested = new AtomicBoolean();
    stopSignal.whenStopped("fraudwatch-demo-stop", () -> stopRequested.set(true));
    long t0 = System.nanoTime();
    try (QuietLogs quiet = QuietLogs.forLiveProgress();
        FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, out)) {
      Services services = runtime.services();
      ExistingDataGuard.check("demo", runtimeConfig, services, services.topics().all(),
          existingData.allowExistingData, err);
      DemoData data = simulate(out);
      PGSimpleDataSource db = services.jobDataSource();
      ModelStore store = new ModelStore(db, HandbookFeatures.SCHEMA);
      DemoDatabase demoDb = new DemoDatabase(db);
      bootstrap(data, store, db, scoring, out);

      Instant jobStart = Instant.now();
      // Ctrl-C during the set-up takes effect here, before the job starts
      Optional<JobStream.Streamed> streamed = stopRequested.get() ? Optional.empty()
          : JobStream.run(data.streaming(), scoring, services, runtimeConfig.database().poolSize(),
              new JobStream.Options(labelDelay, rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                  OptionalLong.empty()), stopRequested, err);
      if (streamed.isEmpty()) {
        err.println("error: stopped before every transaction was scored (Ctrl-C); the data so far stays in "
            + runtimeConfig.workDir());
        return Cli.FAILURE;
      }

      Instant from = data.streamingStart();
      Instant to = data.streaming().get(data.streaming().size() - 1).eventTime().plusMillis(1);
      DemoSummary summary = DemoSummary.of(data.streaming().size(), data.streamingFraudIds(), demoDb.scored(from, to),
          demoDb.alerts(from, to), streamed.get().seconds(), demoDb.deadLetters(scoring.jobName(), jobStart),
          ModelVersionLine.of(store, scoring.modelName()));
      out.printf("%nDemo done in %.0f s:%n%s", (System.nanoTime() - t0) / 1e9, summary.table());
      if (report != null) {
        writeReport(summary, runtimeConfig);
        out.println("Report written to " + report);
      }
      explore(out, runtime, runtimeConfig);
      out.flush();
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }

  private void validate() {
    requirePositive("--customers", customers);
    requirePositive("--terminals", terminals);
    requirePositive("--days", days);
    if (bootstrapDays < 2 || bootstrapDays >= days) {
      throw new CommandFailure(Cli.USAGE, "--bootstrap-days must be at least 2 (training and validation days) and"
          + " fewer than --days (" + days + ") so that some days are streamed, got " + bootstrapDays);
    }
    if (labelDelay.isZero()) {
      throw new CommandFailure(Cli.USAGE, "--label-delay must be positive");
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandFailure(Cli.USAGE, "--rate must be 0 (unpaced) or a positive number of transactions per second,"
          + " got " + rate);
    }
    ScratchRun.requireWritableReport(report);
  }

  private static void requirePositive(String flag, int value) {
    if (value <= 0) {
      throw new CommandFailure(Cli.USAGE, flag + " must be positive, got " + value);
    }
  }

  private DemoData simulate(PrintWriter out) {
    SimulationParameters parameters;
    try {
      parameters = SimulationParameters.builder().customers(customers).terminals(terminals).days(days).seed(seed).build();
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, "these flags do not make a simulation: " + e.getMessage());
    }
    long t0 = System.nanoTime();
    out.printf("Simulating %,d customers and %,d terminals over %d days (seed %d) ...%n", customers, terminals, days, seed);
    out.flush();
    DemoData data = DemoData.split(Simulation.create(parameters), parameters.startDate().plusDays(bootstrapDays));
    out.printf("Simulated %,d bootstrap transactions (days 1-%d) and %,d to stream (%,d frauds) in %.1f s%n",
        data.bootstrap().size(), bootstrapDays, data.streaming().size(), data.streamingFraudIds().size(),
        (System.nanoTime() - t0) / 1e9);
    out.flush();
    if (data.streaming().isEmpty()) {
      throw new CommandFailure(Cli.USAGE, "the simulation has no transactions after the bootstrap days; raise --days"
          + " or --customers");
    }
    return data;
  }

  /** Trains on the bootstrap days, stores and promotes the version, and writes those days into the feature history. */
  private void bootstrap(DemoData data, ModelStore store, DataSource db, ScoringConfig scoring, PrintWriter out)
      throws Exception {
    TrainingWindow window = Bootstrap.window(data.firstStreamingDay().minusDays(bootstrapDays),
        data.firstStreamingDay().minusDays(1));
    TrainingOptions options = new TrainingOptions(scoring.modelName(), "demo", new HandbookFeatures.Config(labelDelay),
        OptionalDouble.empty(), OptionalDouble.empty());
    try {
      Bootstrap.run(new LabelledHistory(data.bootstrap(), Set.of(), "demo simulation, seed " + seed), window, options,
          store, db, "demo", out);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, "cannot train a bootstrap model: " + e.getMessage()
          + "; raise --customers or --bootstrap-days", e);
    }
  }

  private void writeReport(DemoSummary summary, RuntimeConfig runtimeConfig) throws IOException {
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("customers", customers);
    used.put("terminals", terminals);
    used.put("days", days);
    used.put("bootstrap_days", bootstrapDays);
    used.put("seed", seed);
    used.put("label_delay", Durations.format(labelDelay));
    used.put("rate", rate);
    used.put("batch_interval", batchInterval);
    used.put("work_dir", runtimeConfig.workDir().toString());
    used.put("embedded_kafka", runtimeConfig.kafka().embedded());
    used.put("embedded_postgres", runtimeConfig.database().embedded());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), summary.report(used));
  }

  /** How to look at the tables once the demo has stopped its services. */
  private static void explore(PrintWriter out, FraudwatchRuntime runtime, RuntimeConfig runtimeConfig) {
    Services s = runtime.services();
    if (s.analyst().isPresent()) {
      Services.AnalystAccess a = s.analyst().get();
      out.printf("%nThe data stays in %s. To look at the tables, restart its services with%n"
          + "  bin/fraudwatch dev-env --work-dir %s --pg-port %d%n"
          + "and, in another terminal, connect as the read-only analyst:%n  %s%n", runtimeConfig.workDir(),
          runtimeConfig.workDir(), a.port(), a.psqlCommand());
    } else {
      out.printf("%nThe tables are in the configured PostgreSQL (%s), schema fraudwatch.%n", s.jdbcUrl());
    }
  }
}
