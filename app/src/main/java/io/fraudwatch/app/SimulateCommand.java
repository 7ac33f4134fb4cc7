package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.simulator.DriftScenario;
import io.fraudwatch.simulator.HandbookCsvWriter;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate card transactions after the Fraud Detection Handbook (seeded: same flags, same data)"
        + " and write them as handbook CSV, or replay them into Kafka in event-time order, each with its label"
        + " one label delay later (topics.transactions, topics.labels).",
        "Defaults are the handbook's: 5000 customers, 10000 terminals, 183 days from 2018-04-01, seed 0.",
        "--scenario adds a drift from --drift-onset on (default: the 59th day): new-pattern (card testing at night),"
            + " gradual (spending grows), label-noise (one day of flipped reported labels, written in the extra column"
            + " TX_FRAUD_REPORTED), or stationary (none); with a scenario the default length is "
            + SimulateCommand.SCENARIO_DAYS + " days, enough for 'backtest' to show the drift and the recovery."
            + " docs/learning.md describes the scenarios."},
    footer = {"%nExit codes: 0 done; 1 Kafka failed or the run was stopped; 2 bad arguments or Kafka not"
        + " configured; 3 a topic is missing."})
final class SimulateCommand implements Callable<Integer> {
  /**
   * Days of a scenario run by default: the backtest's 37-day feature look-back, its 7-day bootstrap window and 7-day
   * label delay, a week before the onset and three after it.
   */
  static final int SCENARIO_DAYS = 80;
  /** The default onset: the day after the look-back, bootstrap, delay and a week of test before the drift. */
  static final int DEFAULT_ONSET_DAY = 58;

  @Mixin ConfigOptions config;
  @Mixin ReplayFlags replay;
  @Spec CommandSpec spec;

  @Option(names = "--customers", paramLabel = "N", description = "number of customers (cards)")
  Integer customers;

  @Option(names = "--terminals", paramLabel = "N", description = "number of terminals")
  Integer terminals;

  @Option(names = "--days", paramLabel = "N", description = "number of days")
  Integer days;

  @Option(names = "--start-date", paramLabel = "YYYY-MM-DD", description = "first day (UTC)")
  LocalDate startDate;

  @Option(names = "--seed", paramLabel = "N", description = "random seed")
  Long seed;

  @Option(names = "--scenario", paramLabel = "NAME",
      description = "drift scenario: stationary, new-pattern, gradual or label-noise (default: none, the handbook's"
          + " generator over its default length)")
  String scenario;

  @Option(names = "--drift-onset", paramLabel = "YYYY-MM-DD",
      description = "first day of the scenario's drift (default: the start date plus " + DEFAULT_ONSET_DAY + " days)")
  LocalDate driftOnset;

  @Option(names = "--cards-per-day", paramLabel = "N", description = "new-pattern: cards tested each day (default 6)")
  Integer cardsPerDay;

  @Option(names = "--amount-factor", paramLabel = "X",
      description = "gradual: what amounts are multiplied by at the end of the ramp (default 1.5)")
  Double amountFactor;

  @Option(names = "--ramp-days", paramLabel = "N", description = "gradual: days over which amounts grow (default 28)")
  Integer rampDays;

  @Option(names = "--noise-share", paramLabel = "X",
      description = "label-noise: share of the onset day's reported labels flipped (default 0.1)")
  Double noiseShare;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Destination destination;

  static final class Destination {
    @Option(names = "--csv", paramLabel = "FILE", required = true,
        description = "write handbook-format CSV to FILE (gzip if it ends in .gz), replacing it")
    Path csv;

    @Option(names = "--to-kafka", required = true,
        description = "replay into the configured Kafka (kafka.bootstrap; e.g. 'source work/dev-env.sh')")
    boolean toKafka;
  }

  private final Map<String, String> env;
  private final StopSignal stopSignal;

  SimulateCommand(Map<String, String> env, StopSignal stopSignal) {
    this.env = env;
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    Simulation simulation = Simulation.create(parameters());
    PrintWriter out = spec.commandLine().getOut();
    if (destination.csv != null) {
      if (replay.given()) {
        throw new CommandFailure(Cli.USAGE, "--label-delay, --rate and --no-trailing-labels apply to --to-kafka only");
      }
      return writeCsv(simulation, destination.csv, out);
    }
    ReplayOptions options = replay.options();
    KafkaSettings kafka = KafkaSettings.from(config.load(KafkaSettings.KEYS, env, Map.of()));
    String bootstrap = KafkaReplayRun.requireExternalKafka(kafka, "simulate --to-kafka");
    Iterator<ReplayTransaction> transactions = simulation.transactions().map(ReplayTransaction::of).iterator();
    return KafkaReplayRun.run(transactions, bootstrap, kafka, options, stopSignal, out, spec.commandLine().getErr());
  }

  private SimulationParameters parameters() {
    requirePositive("--customers", customers);
    requirePositive("--terminals", terminals);
    requirePositive("--days", days);
    SimulationParameters.Builder b = SimulationParameters.builder();
    if (customers != null) b.customers(customers);
    if (terminals != null) b.terminals(terminals);
    if (days != null) b.days(days);
    if (startDate != null) b.startDate(startDate);
    if (seed != null) b.seed(seed);
    try {
      if (scenario != null) {
        if (days == null) b.days(SCENARIO_DAYS);
        b.drift(drift());
      } else if (driftOnset != null || cardsPerDay != null || amountFactor != null || rampDays != null
          || noiseShare != null) {
        throw new CommandFailure(Cli.USAGE, "--drift-onset and the scenario parameters need --scenario");
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      // the handbook's fraud scenarios need a few customers and terminals per day
      throw new CommandFailure(Cli.USAGE, "these flags do not make a simulation: " + e.getMessage());
    }
  }

  private DriftScenario drift() {
    LocalDate start = startDate != null ? startDate : SimulationParameters.defaults().startDate();
    LocalDate onset = driftOnset != null ? driftOnset : start.plusDays(DEFAULT_ONSET_DAY);
    int onsetDay = (int) (onset.toEpochDay() - start.toEpochDay());
    int length = days != null ? days : SCENARIO_DAYS;
    if (!DriftScenario.NAMES.contains(scenario)) {
      throw new CommandFailure(Cli.USAGE, "--scenario " + scenario + ": not a scenario; the scenarios are "
          + String.join(", ", DriftScenario.NAMES));
    }
    DriftScenario named = DriftScenario.named(scenario, Math.max(0, onsetDay));
    if (!(named instanceof DriftScenario.Stationary) && (onsetDay < 0 || onsetDay >= length)) {
      throw new CommandFailure(Cli.USAGE, "--drift-onset " + onset + " is outside the simulated days " + start + ".."
          + start.plusDays(length - 1));
    }
    onlyFor(cardsPerDay, "--cards-per-day", named instanceof DriftScenario.NewPattern);
    onlyFor(amountFactor, "--amount-factor", named instanceof DriftScenario.Gradual);
    onlyFor(rampDays, "--ramp-days", named instanceof DriftScenario.Gradual);
    onlyFor(noiseShare, "--noise-share", named instanceof DriftScenario.LabelNoise);
    if (named instanceof DriftScenario.NewPattern p && cardsPerDay != null) {
      return new DriftScenario.NewPattern(p.onsetDay(), cardsPerDay, p.minBurst(), p.maxBurst(), p.minAmount(),
          p.maxAmount(), p.nightEndHour(), p.minGapSeconds(), p.maxGapSeconds());
    }
    if (named instanceof DriftScenario.Gradual g) {
      return new DriftScenario.Gradual(g.onsetDay(), rampDays == null ? g.rampDays() : rampDays,
          amountFactor == null ? g.factor() : amountFactor);
    }
    if (named instanceof DriftScenario.LabelNoise n && noiseShare != null) {
      return new DriftScenario.LabelNoise(n.onsetDay(), noiseShare);
    }
    if (named instanceof DriftScenario.Stationary && driftOnset != null) {
      throw new CommandFailure(Cli.USAGE, "--drift-onset does not apply to --scenario stationary");
    }
    return named;
  }

  private void onlyFor(Object value, String flag, boolean applies) {
    if (value != null && !applies) {
      throw new CommandFailure(Cli.USAGE, flag + " does not apply to --scenario " + scenario);
    }
  }

  private static void requirePositive(String flag, Integer value) {
    if (value != null && value <= 0) {
      throw new CommandFailure(Cli.USAGE, flag + " must be positive, got " + value);
    }
  }

  private static int writeCsv(Simulation simulation, Path file, PrintWriter out) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new CommandFailure(Cli.USAGE, "--csv " + file + ": cannot write there (" + (Files.isDirectory(file)
          ? "it is a directory" : "no writable directory " + dir) + ")");
    }
    long t0 = System.nanoTime();
    long rows = 0;
    long fraud = 0;
    DriftScenario drift = simulation.parameters().drift();
    try (HandbookCsvWriter writer = HandbookCsvWriter.open(file, simulation.start(), drift.flipsLabels())) {
      for (Iterator<SimulatedTransaction> it = simulation.iterator(); it.hasNext(); ) {
        SimulatedTransaction t = it.next();
        writer.write(t);
        rows++;
        if (t.fraud()) fraud++;
      }
    }
    SimulationParameters p = simulation.parameters();
    out.printf("Wrote %,d transactions (%,d fraud, %.2f%%) over %d days from %s to %s in %.1f s%n", rows, fraud,
        rows == 0 ? 0.0 : 100.0 * fraud / rows, p.days(), p.startDate(), file, (System.nanoTime() - t0) / 1e9);
    if (!(drift instanceof DriftScenario.Stationary)) {
      out.printf("Scenario %s; drift onset %s%n", drift.describe(), p.startDate().plusDays(drift.onsetDay()));
    }
    out.flush();
    return Cli.OK;
  }
}
