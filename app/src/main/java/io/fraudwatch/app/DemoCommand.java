package io.fraudwatch.app;

import io.fraudwatch.app.dashboard.Dashboard;
import io.fraudwatch.app.dashboard.DashboardConfig;
import io.fraudwatch.app.demo.DemoData;
import io.fraudwatch.app.demo.DemoDatabase;
import io.fraudwatch.app.demo.DemoSummary;
import io.fraudwatch.app.demo.StreamStateCounts;
import io.fraudwatch.app.pipeline.JobStream;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.lake.LakeFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole product end to end on simulated transactions; print a summary.",
      "Starts embedded Kafka and PostgreSQL (data in --work-dir, which a new demo wipes",
      "first), simulates customers, terminals and transactions (seeded), trains a",
      "bootstrap model on the first days and promotes it, streams the remaining days",
      "through Kafka into the scoring job with labels one label delay later, and",
      "compares the alerts with the simulated truth. With --dashboard the services stay",
      "up afterwards and the dashboard page shows the run until Ctrl-C.",
      "With kafka.bootstrap / jdbc.url configured it uses those services instead and",
      "writes its transactions, labels, history, model version and scores into them:",
      "use it on a sandbox, not on production."
    },
    footer = {
      "%nExit codes: 0 done; 1 the job failed or stalled; 2 bad arguments or a",
      "--work-dir that a demo did not make; 130 stopped with Ctrl-C (143 by SIGTERM),",
      "once the services are closed."
    })
final class DemoCommand implements Callable<Integer> {
  static final Path DEFAULT_WORK_DIR = Path.of("work", "demo");
  static final String DEMO_JOB_NAME = "fraudwatch-demo";

  @Mixin ConfigOptions config;
  @Mixin ExistingDataGuard.Flag existingData;
  @Spec CommandSpec spec;

  @Mixin DemoWorkload workload;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "transactions per second into Kafka, 0 = as fast as Kafka takes them (default: ${DEFAULT-VALUE})")
  double rate;

  @Mixin BatchIntervalOption batchInterval;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      description =
          "serve the job's Prometheus metrics on http://localhost:N/metrics during the stream, 0 = off"
              + " (metrics.port; default: "
              + ScoreCommand.DEFAULT_METRICS_PORT
              + " when that port is free)")
  Integer metricsPort;

  @Mixin ReportOption report;

  @Option(
      names = "--dashboard",
      description =
          "after the summary, keep the services up and serve the dashboard page"
              + " on them until Ctrl-C")
  boolean dashboard;

  @Option(
      names = "--dashboard-port",
      paramLabel = "N",
      description = "port of the dashboard page (dashboard.port, default 8080; 0 = any free port)")
  Integer dashboardPort;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "directory for the embedded services' data (default: work/demo); emptied first if a demo made it")
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
    Path dir = workDir == null ? DEFAULT_WORK_DIR : workDir;
    flags.put("work-dir", dir.toString());
    flags.put("features.label-delay", Durations.format(workload.labelDelay));
    batchInterval.putInto(flags);
    if (dashboardPort != null) flags.put("dashboard.port", dashboardPort.toString());
    if (metricsPort != null) flags.put("metrics.port", metricsPort.toString());
    // its minute of streaming should show online versions being learned; a busy metrics port is no
    // reason to fail
    int defaultMetricsPort = freeOrOff(ScoreCommand.DEFAULT_METRICS_PORT);
    Settings settings =
        ScratchRun.settings(
            config,
            env,
            flags,
            ScratchRun.checkpointsIn(
                dir,
                Map.of(
                    "job.name",
                    DEMO_JOB_NAME,
                    "learning.version-every",
                    "5s",
                    "metrics.port",
                    Integer.toString(defaultMetricsPort),
                    "lake.path",
                    dir.resolve("lake").toAbsolutePath().toString(),
                    "stream-state.enabled",
                    "true")));
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    DashboardConfig dashboardConfig = DashboardConfig.from(settings);
    if (dashboard) {
      requireFreePort(dashboardConfig);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScratchRun.prepare(runtimeConfig, "demo", out, err);

    AtomicBoolean stopRequested = new AtomicBoolean();
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    SetUp setUp = new SetUp(err, runtimeConfig.workDir(), stopSignal);
    stopSignal.whenStopped(
        "fraudwatch-demo-stop",
        () -> {
          stopRequested.set(true);
          stopped.countDown();
          setUp.stop();
        });
    long t0 = System.nanoTime();
    try (QuietLogs quiet = QuietLogs.forLiveProgress();
        FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, out)) {
      setUp.started(runtime);
      Services services = runtime.services();
      ExistingDataGuard.check(
          "demo",
          runtimeConfig,
          services,
          services.topics().all(),
          existingData.allowExistingData,
          err);
      DemoData data = workload.simulate(out);
      PGSimpleDataSource db = services.jobDataSource();
      ModelStore store = new ModelStore(db, HandbookFeatures.SCHEMA);
      DemoDatabase demoDb = new DemoDatabase(db);
      workload.bootstrap(data, store, db, scoring, "demo", out);

      if (scoring.metricsPort() > 0) {
        out.printf(
            "Metrics during the stream: http://localhost:%d/metrics%n", scoring.metricsPort());
      } else if (metricsPort == null && defaultMetricsPort == 0) {
        out.printf(
            "note: port %d is in use, so the job's metrics are not served (--metrics-port N)%n",
            ScoreCommand.DEFAULT_METRICS_PORT);
      }
      Instant jobStart = Instant.now();
      if (!setUp.streamStarts()) {
        return setUp.report();
      }
      Optional<JobStream.Streamed> streamed =
          JobStream.run(
              data.streaming(),
              scoring,
              services,
              runtimeConfig.database().poolSize(),
              new JobStream.Options(
                  workload.labelDelay,
                  rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                  OptionalLong.empty()),
              stopRequested,
              err);
      if (streamed.isEmpty()) {
        return setUp.report();
      }

      Instant from = data.streamingStart();
      Instant to = data.streaming().get(data.streaming().size() - 1).eventTime().plusMillis(1);
      DemoSummary summary =
          DemoSummary.of(
              data.streaming().size(),
              data.streamingFraudIds(),
              demoDb.scored(from, to),
              demoDb.alerts(from, to),
              streamed.get().seconds(),
              demoDb.deadLetters(scoring.jobName(), jobStart),
              ModelVersionLine.of(store, scoring.modelName()));
      if (!scoring.lakePath().isEmpty()) {
        summary = summary.withLakeRows(LakeFiles.open(scoring.lakePath()).rows());
      }
      out.printf("%nDemo done in %.0f s:%n%s", (System.nanoTime() - t0) / 1e9, summary.table());
      if (scoring.streamState().enabled()) {
        out.print(StreamStateCounts.read(db).table());
      }
      report.write(summary.report(reportSettings(runtimeConfig)), out);
      explore(out, runtime, runtimeConfig);
      if (!scoring.lakePath().isEmpty()) {
        out.printf(
            "The scored stream is also Parquet in %s (docs/lake.md); with DuckDB:%n"
                + "  duckdb -c \"SELECT event_date, count(*) FROM read_parquet('%s/*/*.parquet',"
                + " hive_partitioning = true) GROUP BY ALL ORDER BY 1\"%n",
            scoring.lakePath(), scoring.lakePath());
      }
      out.flush();
      if (dashboard && !stopRequested.get()) {
        try (Dashboard page =
            Dashboard.start(services, dashboardConfig, scoring.modelName(), scoring.drift())) {
          out.printf(
              "%nDashboard: %s  (the services stay up for it; press Ctrl-C to stop)%n",
              page.address());
          out.flush();
          stopped.await();
        }
      }
    } catch (Exception e) {
      // a stop during the set-up (the bootstrap's Spark, the services) fails whatever runs then
      if (stopRequested.get() || io.fraudwatch.config.JvmShutdown.inProgress()) {
        return setUp.report();
      }
      throw e;
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }

  /**
   * The demo before its stream starts. A stop then is not waited for: the JVM's shutdown hooks stop
   * Spark and the embedded PostgreSQL under the set-up (whose bootstrap training alone may take a
   * minute on a busy machine), so the stop says so at once, closes the services and lets the JVM
   * go. Once the stream runs, a stop ends it in order instead (JobStream).
   */
  private static final class SetUp {
    private final PrintWriter err;
    private final Path workDir;
    private final StopSignal signal;
    private final AtomicBoolean reported = new AtomicBoolean();
    // guarded by this
    private FraudwatchRuntime runtime;
    private boolean streaming;
    private boolean stopped;

    SetUp(PrintWriter err, Path workDir, StopSignal signal) {
      this.err = err;
      this.workDir = workDir;
      this.signal = signal;
    }

    synchronized void started(FraudwatchRuntime r) {
      runtime = r;
    }

    /** False when a stop came first. */
    synchronized boolean streamStarts() {
      streaming = !stopped;
      return streaming;
    }

    /** On the stop's thread. */
    void stop() {
      FraudwatchRuntime services;
      synchronized (this) {
        if (streaming) {
          return;
        }
        stopped = true;
        services = runtime;
      }
      report();
      if (services != null) {
        services.close();
      }
      signal.stopped();
    }

    /** The one line a stop before the summary ends with (the exit code says which signal). */
    int report() {
      if (reported.compareAndSet(false, true)) {
        err.println(
            "error: stopped before every transaction was scored (Ctrl-C); the data so far stays in "
                + workDir);
        err.flush();
      }
      return Cli.FAILURE;
    }
  }

  private void validate() {
    workload.validate();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandFailure(
          Cli.USAGE,
          "--rate must be 0 (unpaced) or a positive number of transactions per second,"
              + " got "
              + rate);
    }
    report.requireWritable();
  }

  /** {@code port} when nothing listens there, else 0 (metrics off). */
  private static int freeOrOff(int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(port)) {
      return port;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Refuses a taken dashboard port before the demo runs rather than after it. */
  private static void requireFreePort(DashboardConfig c) {
    if (c.port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(c.bind(), c.port()));
    } catch (IOException e) {
      throw new CommandFailure(
          Cli.USAGE,
          "the dashboard cannot listen on "
              + c.bind()
              + ":"
              + c.port()
              + " ("
              + e.getMessage()
              + "); choose another with --dashboard-port");
    }
  }

  private Map<String, Object> reportSettings(RuntimeConfig runtimeConfig) {
    Map<String, Object> used = workload.reportSettings();
    used.put("rate", rate);
    used.put("batch_interval", batchInterval.value);
    used.put("work_dir", runtimeConfig.workDir().toString());
    used.put("embedded_kafka", runtimeConfig.kafka().embedded());
    used.put("embedded_postgres", runtimeConfig.database().embedded());
    return used;
  }

  /** How to look at the tables once the demo has stopped its services. */
  private static void explore(
      PrintWriter out, FraudwatchRuntime runtime, RuntimeConfig runtimeConfig) {
    Services s = runtime.services();
    if (s.analyst().isPresent()) {
      Services.AnalystAccess a = s.analyst().get();
      out.printf(
          "%nThe data stays in %s. To look at the tables, restart its services with%n"
              + "  bin/fraudwatch dev-env --work-dir %s --pg-port %d%n"
              + "and, in another terminal, connect as the read-only analyst:%n  %s%n",
          runtimeConfig.workDir(), runtimeConfig.workDir(), a.port(), a.psqlCommand());
    } else {
      out.printf(
          "%nThe tables are in the configured PostgreSQL (%s), schema fraudwatch.%n", s.jdbcUrl());
    }
  }
}
