package io.fraudwatch.app;

import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.simulator.DriftScenario;
import io.fraudwatch.simulator.HandbookCsvWriter;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate card transactions after the Fraud Detection Handbook, to CSV or Kafka.",
      "Seeded: same flags, same data. Writes them as handbook CSV, or replays them into",
      "Kafka in event-time order (topics.transactions), each with its label one label",
      "delay later (topics.labels). Defaults are the handbook's: 5000 customers, 10000",
      "terminals, 183 days from 2018-04-01, seed 0.",
      "--scenario changes the world from --drift-start-day on (default: "
          + SimulateCommand.DEFAULT_START_BEFORE_END
          + " days before the last day: the last 14 days, a 7-day label delay and a week, are drifted):",
      // one element a line, each within 80 columns: picocli would wrap a long one to column 0
      "  stationary   the handbook's generator, nothing changes (the default; the",
      "               same file as without --scenario).",
      "  new-pattern  card testing, a fraud the handbook never makes: each day",
      "               --cards-per-day cards get a burst of 4-12 transactions of",
      "               0.50-5.00, 1-10 minutes apart between 00:00 and 06:00, each at",
      "               a random terminal; all fraud, TX_FRAUD_SCENARIO 4.",
      "  gradual      spending shifts: amounts are multiplied by a factor growing",
      "               linearly to --amount-factor over --ramp-days days; the",
      "               large-amount fraud threshold follows, so the same transactions",
      "               are fraud.",
      "  label-noise  on the start day only, --noise-share of the reported labels are",
      "               flipped; the truth stays in TX_FRAUD and the reported label goes",
      "               in an extra column TX_FRAUD_REPORTED, which backtest and replay",
      "               send as the labels while backtest assesses on the truth.",
      "With --csv it also writes the scenario and its start day beside the file",
      "(d.scenario.json for d.csv.gz); 'backtest' of the file reads them and, without",
      "--test-from/--test-to, tests from a week before the drift to the end, and",
      "reports each model's days to recover.",
      "docs/scenarios.md describes the scenarios' rules."
    },
    footer = {
      "%nExit codes: 0 done; 1 Kafka failed; 2 bad arguments or Kafka not configured; 3",
      "a topic is missing; 130 stopped with Ctrl-C (143 by SIGTERM)."
    })
final class SimulateCommand implements Callable<Integer> {
  /**
   * The default drift start, counted back from the last day: the drifted days are the label delay
   * (7 days) and the week after it, the time the recovery target allows, and a default backtest of
   * the file tests them and the week before; its bootstrap window ends before the drift, as the
   * command's test checks against {@code BacktestPlan}.
   */
  static final int DEFAULT_START_BEFORE_END = 13;

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

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      defaultValue = DriftScenario.Stationary.NAME,
      description = "stationary (default), new-pattern, gradual or label-noise; see above")
  String scenario;

  @Option(
      names = "--drift-start-day",
      paramLabel = "YYYY-MM-DD",
      description =
          "first day of the scenario's change (default: "
              + DEFAULT_START_BEFORE_END
              + " days before the last day)")
  LocalDate driftStart;

  @Option(
      names = "--cards-per-day",
      paramLabel = "N",
      description = "new-pattern: cards tested each day (default 6)")
  Integer cardsPerDay;

  @Option(
      names = "--amount-factor",
      paramLabel = "X",
      description =
          "gradual: what amounts are multiplied by at the end of the ramp and after (default 1.5)")
  Double amountFactor;

  @Option(
      names = "--ramp-days",
      paramLabel = "N",
      description = "gradual: days over which the factor grows (default 14)")
  Integer rampDays;

  @Option(
      names = "--noise-share",
      paramLabel = "X",
      description =
          "label-noise: share of the start day's reported labels flipped, in (0, 1] (default 0.1)")
  Double noiseShare;

  @Option(
      names = "--first-id",
      paramLabel = "N",
      description =
          "--to-kafka: the first transaction id (default 0). Each run numbers its"
              + " transactions from it: a second run into the same topics needs ids of its own"
              + " (the job dead-letters an id it stored with other values as DUPLICATE_ID)")
  Long firstId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Destination destination;

  static final class Destination {
    @Option(
        names = "--csv",
        paramLabel = "FILE",
        required = true,
        description = "write handbook-format CSV to FILE (gzip if it ends in .gz), replacing it")
    Path csv;

    @Option(
        names = "--to-kafka",
        required = true,
        description =
            "replay into the configured Kafka (kafka.bootstrap; e.g. 'source work/dev-env.sh')")
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
    if (simulation.profiles().customersWithTerminals() == 0) {
      SimulationParameters p = simulation.parameters();
      throw new CommandFailure(
          Cli.USAGE,
          String.format(
              Locale.ROOT,
              "these flags make no transactions: none of the %d customers has any of the %d"
                  + " terminals within reach (radius %s on the 100 x 100 map); give more"
                  + " --terminals",
              p.customers(),
              p.terminals(),
              p.radius()));
    }
    PrintWriter out = spec.commandLine().getOut();
    // read even for --csv, which uses none of it: a missing file or a typo is refused all the same
    KafkaSettings kafka = KafkaSettings.from(config.load(KafkaSettings.KEYS, env, Map.of()));
    if (destination.csv != null) {
      if (replay.given() || firstId != null) {
        throw new CommandFailure(
            Cli.USAGE,
            "--label-delay, --rate, --no-trailing-labels and --first-id apply to --to-kafka only");
      }
      return writeCsv(simulation, scenario, destination.csv, out, spec.commandLine().getErr());
    }
    ReplayOptions options = replay.options();
    String bootstrap = KafkaReplayRun.requireExternalKafka(kafka, "simulate --to-kafka");
    long first = firstId == null ? 0 : firstId;
    if (first < 0) {
      throw new CommandFailure(Cli.USAGE, "--first-id must not be negative, got " + first);
    }
    long[] next = {first};
    Iterator<ReplayTransaction> transactions =
        simulation
            .transactions()
            .map(t -> ReplayTransaction.of(t, first + t.transactionId()))
            .peek(t -> next[0]++)
            .iterator();
    int exit =
        KafkaReplayRun.run(
            transactions, bootstrap, kafka, options, stopSignal, out, spec.commandLine().getErr());
    out.printf(
        "Transaction ids %d..%d; a next run into the same topics: --first-id %d%n",
        first, next[0] - 1, next[0]);
    return exit;
  }

  private SimulationParameters parameters() {
    // the handbook's fraud scenarios compromise this many of each a day
    SimulationParameters defaults = SimulationParameters.defaults();
    requireAtLeast("--customers", customers, Math.max(1, defaults.compromisedCustomersPerDay()));
    requireAtLeast("--terminals", terminals, Math.max(1, defaults.compromisedTerminalsPerDay()));
    requireAtLeast("--days", days, 1);
    SimulationParameters.Builder b = SimulationParameters.builder();
    if (customers != null) b.customers(customers);
    if (terminals != null) b.terminals(terminals);
    if (days != null) b.days(days);
    if (startDate != null) b.startDate(startDate);
    if (seed != null) b.seed(seed);
    try {
      requireStorableDays(b.build());
      b.drift(drift(b.build()));
      return b.build();
    } catch (IllegalArgumentException e) {
      // the handbook's fraud scenarios need a few customers and terminals per day
      throw new CommandFailure(
          Cli.USAGE, "these flags do not make a simulation: " + e.getMessage());
    }
  }

  /** The scenario the flags name, checked against the simulation's days. */
  private DriftScenario drift(SimulationParameters p) {
    if (!DriftScenario.NAMES.contains(scenario)) {
      throw new CommandFailure(
          Cli.USAGE,
          "--scenario "
              + scenario
              + ": no such scenario; the scenarios are "
              + String.join(", ", DriftScenario.NAMES));
    }
    boolean stationary = scenario.equals(DriftScenario.Stationary.NAME);
    onlyFor(driftStart, "--drift-start-day", !stationary);
    onlyFor(cardsPerDay, "--cards-per-day", scenario.equals(DriftScenario.NewPattern.NAME));
    onlyFor(amountFactor, "--amount-factor", scenario.equals(DriftScenario.Gradual.NAME));
    onlyFor(rampDays, "--ramp-days", scenario.equals(DriftScenario.Gradual.NAME));
    onlyFor(noiseShare, "--noise-share", scenario.equals(DriftScenario.LabelNoise.NAME));
    if (stationary) {
      return new DriftScenario.Stationary();
    }
    LocalDate last = p.startDate().plusDays(p.days() - 1);
    LocalDate start = driftStart;
    if (start == null) {
      start = last.minusDays(DEFAULT_START_BEFORE_END);
      if (start.isBefore(p.startDate())) {
        throw new CommandFailure(
            Cli.USAGE,
            "--days "
                + p.days()
                + " leaves no room for the default drift start ("
                + DEFAULT_START_BEFORE_END
                + " days before the last day); give --drift-start-day");
      }
    } else if (start.isBefore(p.startDate()) || start.isAfter(last)) {
      throw new CommandFailure(
          Cli.USAGE,
          "--drift-start-day "
              + start
              + " is outside the simulated days "
              + p.startDate()
              + ".."
              + last);
    }
    int day = (int) ChronoUnit.DAYS.between(p.startDate(), start);
    DriftScenario named = DriftScenario.named(scenario, day);
    if (named instanceof DriftScenario.NewPattern n && cardsPerDay != null) {
      if (cardsPerDay > p.customers()) {
        throw new CommandFailure(
            Cli.USAGE,
            "--cards-per-day "
                + cardsPerDay
                + " is more than the "
                + p.customers()
                + " customers (--customers) whose cards could be tested");
      }
      return new DriftScenario.NewPattern(
          day,
          cardsPerDay,
          n.minBurst(),
          n.maxBurst(),
          n.minAmount(),
          n.maxAmount(),
          n.nightEndHour(),
          n.minGapSeconds(),
          n.maxGapSeconds());
    }
    if (named instanceof DriftScenario.Gradual g) {
      return new DriftScenario.Gradual(
          day,
          rampDays == null ? g.rampDays() : rampDays,
          amountFactor == null ? g.factor() : amountFactor);
    }
    if (named instanceof DriftScenario.LabelNoise && noiseShare != null) {
      return new DriftScenario.LabelNoise(day, noiseShare);
    }
    return named;
  }

  /** The simulated days must be times the stores hold ({@link StoreLimits#timeProblem}). */
  private static void requireStorableDays(SimulationParameters p) {
    String problem;
    try {
      Instant first = p.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant end = p.startDate().plusDays(p.days()).atStartOfDay(ZoneOffset.UTC).toInstant();
      problem = StoreLimits.timeProblem("the first day", first);
      if (problem == null) {
        problem = StoreLimits.timeProblem("the last day", end.minusNanos(1));
      }
    } catch (DateTimeException | ArithmeticException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      throw new CommandFailure(
          Cli.USAGE, "--start-date " + p.startDate() + " and --days " + p.days() + ": " + problem);
    }
  }

  private void onlyFor(Object value, String flag, boolean applies) {
    if (value != null && !applies) {
      throw new CommandFailure(Cli.USAGE, flag + " does not apply to --scenario " + scenario);
    }
  }

  private static void requireAtLeast(String flag, Integer value, int least) {
    if (value != null && value < least) {
      throw new CommandFailure(Cli.USAGE, flag + " must be at least " + least + ", got " + value);
    }
  }

  /**
   * Writes the CSV into a hidden file beside {@code file} and moves it into place once complete, so
   * that a failure or Ctrl-C leaves {@code file} as it was.
   */
  private int writeCsv(
      Simulation simulation, String scenarioName, Path file, PrintWriter out, PrintWriter err)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path manifest = ScenarioManifest.pathFor(file);
    String cannot =
        Files.isDirectory(file)
            ? "it is a directory"
            : Files.exists(file) && !Files.isRegularFile(file)
                ? "it is there and not a regular file"
                : Files.exists(manifest) && !Files.isRegularFile(manifest)
                    ? "its scenario manifest " + manifest + " is there and not a regular file"
                    : !Files.isDirectory(dir) || !Files.isWritable(dir)
                        ? "no writable directory " + dir
                        : null;
    if (cannot != null) {
      throw new CommandFailure(
          Cli.USAGE, "--csv " + file + ": cannot write there (" + cannot + ")");
    }
    long t0 = System.nanoTime();
    long rows = 0;
    long fraud = 0;
    long cardTesting = 0;
    long flipped = 0;
    DriftScenario drift = simulation.parameters().drift();
    SimulationParameters p = simulation.parameters();
    boolean drifts = !(drift instanceof DriftScenario.Stationary);
    Optional<LocalDate> driftStartDay =
        drifts ? Optional.of(p.startDate().plusDays(drift.startDay())) : Optional.empty();
    AtomicBoolean stopRequested = new AtomicBoolean();
    stopSignal.whenStopped("fraudwatch-simulate-stop", () -> stopRequested.set(true));
    // not Files.createTempFile: its owner-only permissions would stay on the moved file
    Path partial =
        dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    try {
      try (HandbookCsvWriter writer =
          HandbookCsvWriter.open(
              partial, HandbookCsvWriter.gzipped(file), simulation.start(), drift.flipsLabels())) {
        for (Iterator<SimulatedTransaction> it = simulation.iterator();
            it.hasNext() && !stopRequested.get(); ) {
          SimulatedTransaction t = it.next();
          writer.write(t);
          rows++;
          if (t.fraud()) fraud++;
          if (t.scenario() == DriftScenario.NewPattern.FRAUD_SCENARIO) cardTesting++;
          if (t.reportedFraud() != t.fraud()) flipped++;
        }
      }
      if (stopRequested.get()) {
        err.println("error: stopped before the end (Ctrl-C); " + file + " is as it was");
        err.flush();
        return Cli.FAILURE;
      }
      ScenarioManifest described =
          ScenarioManifest.of(partial, scenarioName, p, driftStartDay, rows, fraud);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      described.writeFor(file);
    } catch (IOException e) {
      throw new CommandFailure(Cli.FAILURE, "--csv " + file + ": cannot write: " + e, e);
    } finally {
      Files.deleteIfExists(partial);
      stopSignal.stopped();
    }
    out.printf(
        "Wrote %,d transactions (%,d fraud, %.2f%%) over %d days from %s to %s in %.1f s%n",
        rows,
        fraud,
        rows == 0 ? 0.0 : 100.0 * fraud / rows,
        p.days(),
        p.startDate(),
        file,
        (System.nanoTime() - t0) / 1e9);
    if (drifts) {
      out.printf(
          "Scenario %s; from %s%s%n",
          drift.describe(),
          driftStartDay.orElseThrow(),
          drift instanceof DriftScenario.NewPattern
              ? String.format("; %,d card-testing frauds", cardTesting)
              : drift.flipsLabels() ? String.format("; %,d reported labels flipped", flipped) : "");
    }
    out.println(
        "Scenario manifest "
            + ScenarioManifest.pathFor(file)
            + (drifts ? " (backtest reads the drift start from it)" : ""));
    out.flush();
    return Cli.OK;
  }
}
