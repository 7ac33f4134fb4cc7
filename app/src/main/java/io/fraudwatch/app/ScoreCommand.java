package io.fraudwatch.app;

import io.fraudwatch.app.runtime.FraudwatchRuntime;
import io.fraudwatch.app.runtime.RuntimeConfig;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import io.fraudwatch.scoring.outage.ServiceUnavailableException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.JOB)
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streaming scorer until Ctrl-C.",
      "Transactions from Kafka, enriched with history from PostgreSQL, scored by the",
      "champion model; alerts to PostgreSQL and Kafka.",
      "Without kafka.bootstrap / jdbc.url it starts embedded services (as dev-env",
      "does). While PostgreSQL or Kafka is unreachable it waits and retries, for up to",
      "job.outage-tolerance (default 10m); then it exits with code 5, naming what",
      "is down. Started again, it resumes from the stored offsets."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "1:the job failed",
      "2:usage or configuration error",
      "3:no champion model to score with, or a topic that does not exist",
      "4:another scorer runs this job.name (one runs per name)",
      "5:PostgreSQL or Kafka unreachable for longer than job.outage-tolerance",
      "130:stopped with Ctrl-C, once the job has stopped (143 by SIGTERM)"
    })
final class ScoreCommand implements Callable<Integer> {

  static final List<ConfigKey> KEYS = keys();

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Mixin BatchIntervalOption batchInterval;

  @Option(
      names = "--max-rate",
      paramLabel = "N",
      description = "records/s per Kafka partition, 0 = unlimited (job.max-rate-per-partition)")
  Integer maxRate;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (job.spark-master, default local[*,4]: 4 attempts per task)")
  String master;

  /**
   * The scorer serves its metrics unless told otherwise: 9464 is free on a Spark driver (Spark,
   * Kafka, Prometheus and its node exporter use 4040, 7077, 8080, 9092, 9090, 9100) and is the
   * OpenTelemetry Prometheus exporter's port, which scrape configurations often know already.
   */
  static final int DEFAULT_METRICS_PORT = 9464;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      description =
          "serve Prometheus metrics on http://<host>:N/metrics, 0 = off (metrics.port; default "
              + DEFAULT_METRICS_PORT
              + ")")
  Integer metricsPort;

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  ScoreCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys = new ArrayList<>(RuntimeConfig.KEYS);
    keys.addAll(ScoringConfig.KEYS);
    // accepted (and ignored by the scorer) so that one config file serves the job and its dashboard
    keys.addAll(io.fraudwatch.app.dashboard.DashboardConfig.KEYS);
    return List.copyOf(keys);
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    batchInterval.putInto(flags);
    if (maxRate != null) flags.put("job.max-rate-per-partition", maxRate.toString());
    if (master != null) flags.put("job.spark-master", master);
    if (metricsPort != null) flags.put("metrics.port", metricsPort.toString());
    Settings settings =
        ScratchRun.settings(
            config, env, flags, Map.of("metrics.port", Integer.toString(DEFAULT_METRICS_PORT)));
    RuntimeConfig runtimeConfig = RuntimeConfig.from(settings);
    ScoringConfig scoring = ScoringConfig.from(settings);
    PrintWriter out = spec.commandLine().getOut();
    AtomicLong scored = new AtomicLong();
    AtomicLong alerts = new AtomicLong();
    try (FraudwatchRuntime runtime = FraudwatchRuntime.start(runtimeConfig, out)) {
      JobSettings job =
          runtime.services().jobSettings(scoring, runtimeConfig.database().poolSize());
      try (ScoringJobRunner runner =
          ScoringJobRunner.start(
              scoring,
              job,
              r -> {
                scored.addAndGet(r.records() - r.deadLetters() - r.duplicates());
                alerts.addAndGet(r.alerts());
              })) {
        out.printf(
            "Scoring job %s running (batch interval %s, model %s). Press Ctrl-C to stop.%n",
            scoring.jobName(),
            io.fraudwatch.config.Durations.format(scoring.batchInterval()),
            scoring.modelName());
        if (scoring.metricsPort() > 0) {
          out.printf("Metrics: http://localhost:%d/metrics%n", scoring.metricsPort());
        }
        out.flush();
        awaitStopOrFailure(runner, out);
      }
    } catch (Exception e) {
      Optional<CommandFailure> refused = CommandFailure.in(e);
      if (refused.isPresent()) {
        throw refused.get();
      }
      Optional<ServiceUnavailableException> down = ServiceUnavailableException.in(e);
      if (down.isPresent()) {
        throw new CommandFailure(
            Cli.UNAVAILABLE,
            down.get().getMessage()
                + ". The scoring job stopped after "
                + scored.get()
                + " transactions; started again, it resumes from the stored offsets.",
            e);
      }
      throw e;
    } finally {
      stopSignal.stopped();
    }
    out.printf("Stopped. %d transactions scored, %d alerts.%n", scored.get(), alerts.get());
    return Cli.OK;
  }

  /** Returns when the user stops the job; rethrows if the job itself fails first. */
  private void awaitStopOrFailure(ScoringJobRunner runner, PrintWriter out) throws Exception {
    stopSignal.whenStopped(
        "fraudwatch-stop",
        () -> {
          out.println("Stopping ...");
          out.flush();
          runner.stop(false);
        });
    while (!runner.awaitTermination(500)) {
      // the job runs; awaitTermination rethrows its failure
    }
  }
}
