package io.fraudwatch.app;

import io.fraudwatch.app.demo.DemoData;
import io.fraudwatch.app.pipeline.Bootstrap;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.training.LabelledHistory;
import io.fraudwatch.models.training.TrainingOptions;
import io.fraudwatch.models.training.TrainingWindow;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/**
 * The demo's workload (a picocli mixin, shared by demo and cluster-demo): the simulation's size and
 * seed, and the bootstrap model trained on its first days, which also become the job's feature
 * history.
 */
final class DemoWorkload {

  @Option(
      names = "--customers",
      defaultValue = "2000",
      paramLabel = "N",
      description = "customers (default: ${DEFAULT-VALUE})")
  int customers;

  @Option(
      names = "--terminals",
      defaultValue = "4000",
      paramLabel = "N",
      description = "terminals (default: ${DEFAULT-VALUE})")
  int terminals;

  @Option(
      names = "--days",
      defaultValue = "50",
      paramLabel = "N",
      description = "simulated days, bootstrap days included (default: ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--bootstrap-days",
      defaultValue = "21",
      paramLabel = "N",
      description =
          "first days: the bootstrap model learns from them and they become the job's feature history;"
              + " the rest is streamed (default: ${DEFAULT-VALUE})")
  int bootstrapDays;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "simulation seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--label-delay",
      defaultValue = "7d",
      paramLabel = "DURATION",
      converter = ReplayFlags.DurationConverter.class,
      description =
          "how long after a transaction its label arrives; also the job's features.label-delay (default: ${DEFAULT-VALUE})")
  Duration labelDelay;

  /** Refuses flags that make no workload, before anything starts. */
  void validate() {
    requirePositive("--customers", customers);
    requirePositive("--terminals", terminals);
    requirePositive("--days", days);
    if (bootstrapDays < 2 || bootstrapDays >= days) {
      throw new CommandFailure(
          Cli.USAGE,
          "--bootstrap-days must be at least 2 (training and validation days) and"
              + " fewer than --days ("
              + days
              + ") so that some days are streamed, got "
              + bootstrapDays);
    }
    if (labelDelay.isZero()) {
      throw new CommandFailure(Cli.USAGE, "--label-delay must be positive");
    }
  }

  private static void requirePositive(String flag, int value) {
    if (value <= 0) {
      throw new CommandFailure(Cli.USAGE, flag + " must be positive, got " + value);
    }
  }

  DemoData simulate(PrintWriter out) {
    SimulationParameters parameters;
    try {
      parameters =
          SimulationParameters.builder()
              .customers(customers)
              .terminals(terminals)
              .days(days)
              .seed(seed)
              .build();
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(
          Cli.USAGE, "these flags do not make a simulation: " + e.getMessage());
    }
    long t0 = System.nanoTime();
    out.printf(
        "Simulating %,d customers and %,d terminals over %d days (seed %d) ...%n",
        customers, terminals, days, seed);
    out.flush();
    DemoData data =
        DemoData.split(
            Simulation.create(parameters), parameters.startDate().plusDays(bootstrapDays));
    out.printf(
        "Simulated %,d bootstrap transactions (days 1-%d) and %,d to stream (%,d frauds) in %.1f s%n",
        data.bootstrap().size(),
        bootstrapDays,
        data.streaming().size(),
        data.streamingFraudIds().size(),
        (System.nanoTime() - t0) / 1e9);
    out.flush();
    if (data.streaming().isEmpty()) {
      throw new CommandFailure(
          Cli.USAGE,
          "the simulation has no transactions after the bootstrap days; raise --days"
              + " or --customers");
    }
    return data;
  }

  /**
   * Trains on the bootstrap days, stores and promotes the version, and writes those days into the
   * feature history.
   */
  void bootstrap(
      DemoData data,
      ModelStore store,
      DataSource db,
      ScoringConfig scoring,
      String actor,
      PrintWriter out)
      throws Exception {
    TrainingWindow window =
        Bootstrap.window(
            data.firstStreamingDay().minusDays(bootstrapDays),
            data.firstStreamingDay().minusDays(1));
    TrainingOptions options =
        new TrainingOptions(
            scoring.modelName(),
            actor,
            new HandbookFeatures.Config(labelDelay),
            OptionalDouble.empty(),
            OptionalDouble.empty());
    try {
      Bootstrap.run(
          new LabelledHistory(data.bootstrap(), Set.of(), actor + " simulation, seed " + seed),
          window,
          options,
          store,
          db,
          actor,
          out);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(
          Cli.USAGE,
          "cannot train a bootstrap model: "
              + e.getMessage()
              + "; raise --customers or --bootstrap-days",
          e);
    }
  }

  /** The workload's settings, for a run's report. */
  Map<String, Object> reportSettings() {
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("customers", customers);
    used.put("terminals", terminals);
    used.put("days", days);
    used.put("bootstrap_days", bootstrapDays);
    used.put("seed", seed);
    used.put("label_delay", io.fraudwatch.config.Durations.format(labelDelay));
    return used;
  }
}
