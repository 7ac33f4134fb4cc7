package io.fraudwatch.app;

import io.fraudwatch.app.runtime.PostgresDataSource;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.ConfigOptions;
import io.fraudwatch.config.DatabaseLogin;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.lake.LakeCompactor;
import io.fraudwatch.scoring.lake.LakeFiles;
import io.fraudwatch.scoring.maintenance.Maintainer;
import io.fraudwatch.scoring.maintenance.MaintenanceConfig;
import io.fraudwatch.scoring.maintenance.MaintenancePlan;
import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import io.fraudwatch.scoring.maintenance.RetainedTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@DatabaseLogin(DatabaseLogin.Login.OPERATOR)
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Create partitions ahead of time and apply retention, off the stream's hot path.",
      "",
      "Partitions: scored_transactions has one partition per UTC day of event_time.",
      "maintain creates yesterday to today + partitions.days-ahead (default 7), the",
      "days of --from/--to (e.g. before replaying old data), and the days of rows",
      "that wait in the DEFAULT partition (their day had no partition when they were",
      "written), moving those rows into them. The running job also creates",
      "partitions: at start, hourly, and ahead of the event-time days it scores.",
      "",
      "Retention: each table keeps rows for its retention (keys below; 0 = for",
      "ever). Old day partitions of scored_transactions are dropped; old rows of the",
      "other tables (and of DEFAULT) are deleted, retention.delete-batch rows per",
      "transaction. Partition DDL waits at most partitions.lock-timeout for its",
      "locks (long analyst queries hold them) and gives up rather than stall the",
      "stream: run again later. The tables the job reads back (scored transactions,",
      "history, labels) may not be kept for less than the job needs: the",
      "30-day feature window plus features.label-delay and a day.",
      "",
      "Runs as jdbc.operator-user (a member of fraudwatch_operator) on jdbc.url.",
      "Lake (lake.path set): the small per-batch Parquet files of each finished",
      "event date (older than the newest date in the lake) are merged into one file",
      "per date, atomically, while the job goes on writing (docs/lake.md).",
      "",
      "Run it daily, from cron or a systemd timer (docs/operations.md). --dry-run",
      "shows what it would do and changes nothing.",
      ""
    },
    footer = {
      "%nExit codes: 0 done; 1 a step failed (e.g. a lock was not granted in time;",
      "the other steps ran); 2 bad arguments or configuration (e.g. a retention",
      "shorter than the job needs)."
    })
final class MaintainCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(
      names = "--dry-run",
      description =
          "show what would be created, moved, dropped, deleted and compacted; change nothing")
  boolean dryRun;

  @Option(
      names = "--from",
      paramLabel = "DAY",
      description = "also create the partitions from this UTC day (yyyy-mm-dd)")
  LocalDate from;

  @Option(
      names = "--to",
      paramLabel = "DAY",
      description = "... to this one, inclusive (default: --from)")
  LocalDate to;

  private final Map<String, String> env;
  private final Clock clock;

  MaintainCommand(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  /** The retention keys and their defaults, for --help (from the one list the code uses). */
  static void documentKeys(CommandLine maintain) {
    Map<String, String> tables = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    for (RetainedTable t : RetainedTable.values()) {
      tables.merge(t.key(), t.table(), (a, b) -> a + ", " + b);
      defaults.put(t.key(), t.defaultRetention());
    }
    List<String> footer = new ArrayList<>(List.of("%nKeys (default):"));
    tables.forEach((key, table) -> footer.add(line(key, defaults.get(key), table)));
    footer.add(line("retention.delete-batch", "10000", "rows per DELETE transaction"));
    footer.add(line("partitions.days-ahead", "7", "days after today made in advance"));
    footer.add(line("partitions.lock-timeout", "5s", "longest wait for a lock"));
    footer.addAll(List.of(maintain.getCommandSpec().usageMessage().footer()));
    maintain.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
  }

  /**
   * Compacts the lake unless another maintain run is compacting it (a PostgreSQL advisory lock held
   * for the run); the failure, if any.
   */
  private static Optional<String> compactLake(
      PGSimpleDataSource ds,
      String lakePath,
      LakeCompactor compactor,
      LakeCompactor.Plan plan,
      Consumer<String> progress) {
    try (Connection c = ds.getConnection();
        PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      lock.setString(1, "fraudwatch lake compaction " + lakePath);
      try (ResultSet rs = lock.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return Optional.of(
              "lake: another maintain run is compacting " + lakePath + "; run again later");
        }
      }
      compactor.apply(plan, progress);
      return Optional.empty(); // the lock goes with the connection
    } catch (SQLException | IOException | RuntimeException e) {
      return Optional.of("lake compaction: " + e.getMessage());
    }
  }

  private static String line(String key, String defaultValue, String what) {
    return String.format(Locale.ROOT, "  %-30s %-5s %s", key, defaultValue, what);
  }

  @Override
  public Integer call() throws Exception {
    if (to != null && from == null) {
      throw new CommandFailure(Cli.USAGE, "--to needs --from");
    }
    Optional<MaintenancePlan.DayRange> requested;
    try {
      requested =
          from == null
              ? Optional.empty()
              : Optional.of(new MaintenancePlan.DayRange(from, to == null ? from : to));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(Cli.USAGE, "--from/--to: " + e.getMessage());
    }
    // the score command's keys: one config file serves both, and the retention is checked against
    // the job's
    Settings settings = config.load(ScoreCommand.KEYS, env, Map.of());
    ScoringConfig scoring = ScoringConfig.from(settings);
    MaintenanceConfig maintenance = scoring.maintenance();
    DatabaseSettings db = DatabaseSettings.from(settings);
    String url =
        db.url()
            .orElseThrow(
                () ->
                    new CommandFailure(
                        Cli.USAGE,
                        "no database configured: set jdbc.url"
                            + " (FRAUDWATCH_JDBC_URL, --set jdbc.url=... or the config file; for dev-env: source work/dev-env.sh)"));
    // maintenance is the operator's: the job's login may not delete or drop what it wrote
    PGSimpleDataSource ds =
        PostgresDataSource.of(
            url,
            db.operatorUser(),
            db.operatorPassword().map(Secret::reveal),
            db.tls(),
            "fraudwatch maintain");

    PrintWriter out = spec.commandLine().getOut();
    Maintainer maintainer =
        new Maintainer(new PartitionMaintenance(ds, maintenance.lockTimeout()), maintenance, clock);
    MaintenancePlan plan = maintainer.plan(requested);
    out.printf(
        "%s %s as %s (now %s; partitions %d days ahead, retention of the job's tables at least %s):%n",
        dryRun ? "Would maintain" : "Maintaining",
        db.redactedUrl().orElseThrow(),
        db.operatorUser(),
        clock.instant(),
        maintenance.daysAhead(),
        Durations.format(MaintenanceConfig.minimumForJob(scoring.labelDelay())));
    plan.describe(maintenance).forEach(out::println);
    Optional<LakeCompactor> lake =
        scoring.lakePath().isEmpty()
            ? Optional.empty()
            : Optional.of(
                new LakeCompactor(LakeFiles.open(scoring.lakePath()), LakeCompactor.MIN_FILES));
    Optional<LakeCompactor.Plan> lakePlan =
        lake.isEmpty() ? Optional.empty() : Optional.of(lake.get().plan());
    lakePlan.ifPresent(p -> p.describe().forEach(out::println));
    out.flush();
    if (dryRun) {
      out.println("Dry run: nothing changed.");
      return Cli.OK;
    }
    Consumer<String> progress =
        line -> {
          out.println(line);
          out.flush();
        };
    Maintainer.Result result = maintainer.apply(plan, progress);
    List<String> failures = new ArrayList<>(result.failures());
    if (lake.isPresent()) {
      compactLake(ds, scoring.lakePath(), lake.get(), lakePlan.get(), progress)
          .ifPresent(failures::add);
    }
    if (!failures.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      failures.forEach(f -> err.println("error: " + f));
      return Cli.FAILURE;
    }
    out.println("Done.");
    return Cli.OK;
  }
}
