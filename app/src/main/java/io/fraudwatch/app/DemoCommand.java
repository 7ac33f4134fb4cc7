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

  @Mixin DemoWorkload workload;

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
    flags.put("features.label-delay", Durations.format(workload.labelDelay));
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
      DemoData data = workload.simulate(out);
      PGSimpleDataSource db = services.jobDataSource();
      ModelStore store = new ModelStore(db, HandbookFeatures.SCHEMA);
      DemoDatabase demoDb = new DemoDatabase(db);
      workload.bootstrap(data, store, db, scoring, "demo", out);

      Instant jobStart = Instant.now();
      // Ctrl-C during the set-up takes effect here, before the job starts
      Optional<JobStream.Streamed> streamed = stopRequested.get() ? Optional.empty()
          : JobStream.run(data.streaming(), scoring, services, runtimeConfig.database().poolSize(),
              new JobStream.Options(workload.labelDelay, rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
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
    workload.validate();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandFailure(Cli.USAGE, "--rate must be 0 (unpaced) or a positive number of transactions per second,"
          + " got " + rate);
    }
    ScratchRun.requireWritableReport(report);
  }

  private void writeReport(DemoSummary summary, RuntimeConfig runtimeConfig) throws IOException {
    Map<String, Object> used = workload.reportSettings();
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
