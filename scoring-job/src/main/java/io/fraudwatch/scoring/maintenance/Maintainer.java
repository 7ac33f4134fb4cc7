package io.fraudwatch.scoring.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One maintenance run ({@code bin/fraudwatch maintain}): reads the state, plans ({@link
 * MaintenancePlan}) and applies the plan step by step: partitions created (rows moved out of
 * DEFAULT), old partitions dropped, old rows deleted in batches. A step that fails (a lock not
 * granted within the lock timeout, say) is reported and the others still run; running again picks
 * up what is left.
 */
public final class Maintainer {

  /** What a run did; {@code failures} says which steps did not complete. */
  public record Result(
      int created, int dropped, Map<RetainedTable, Long> deleted, List<String> failures) {
    public boolean complete() {
      return failures.isEmpty();
    }
  }

  private final PartitionMaintenance partitions;
  private final MaintenanceConfig config;
  private final Clock clock;

  public Maintainer(PartitionMaintenance partitions, MaintenanceConfig config, Clock clock) {
    this.partitions = partitions;
    this.config = config;
    this.clock = clock;
  }

  /**
   * @param requested extra days to create partitions for (e.g. a replay's event-time range)
   */
  public MaintenancePlan plan(Optional<MaintenancePlan.DayRange> requested) throws SQLException {
    Instant now = clock.instant();
    Map<RetainedTable, Long> oldRows = new EnumMap<>(RetainedTable.class);
    for (RetainedTable t : RetainedTable.values()) {
      Optional<Instant> cut = MaintenancePlan.cutoff(t, config, now);
      if (!t.partitioned() && cut.isPresent()) {
        oldRows.put(t, partitions.countOlder(t, cut.get()));
      }
    }
    return MaintenancePlan.of(
        now, config, requested, partitions.existingDays(), partitions.defaultDays(), oldRows);
  }

  public Result apply(MaintenancePlan plan, Consumer<String> progress) {
    List<String> failures = new ArrayList<>();
    int created = 0;
    if (!plan.create().isEmpty()) {
      try {
        created = partitions.ensure(plan.create());
        progress.accept(
            String.format(
                Locale.ROOT,
                "created %d partitions (%s)",
                created,
                MaintenancePlan.days(plan.create())));
      } catch (SQLException e) {
        failures.add(failure("creating partitions", e));
      }
    }
    int dropped = 0;
    // a table bounded by another (sessions by the scored transactions) waits until that one's old
    // rows are all gone
    EnumSet<RetainedTable> incomplete = EnumSet.noneOf(RetainedTable.class);
    for (LocalDate day : plan.drop()) {
      try {
        if (partitions.drop(day)) {
          dropped++;
        }
      } catch (SQLException e) {
        incomplete.add(RetainedTable.SCORED_TRANSACTIONS);
        failures.add(failure("dropping the partition of " + day, e));
        if (PartitionMaintenance.lockTimedOut(e)) {
          break; // the next days would wait for the same lock
        }
      }
    }
    if (!plan.drop().isEmpty()) {
      progress.accept(
          String.format(
              Locale.ROOT,
              "dropped %d partitions older than %s",
              dropped,
              plan.drop().last().plusDays(1)));
    }
    Map<RetainedTable, Long> deleted = new EnumMap<>(RetainedTable.class);
    for (MaintenancePlan.Deletion d : plan.deletions()) {
      if (d.cutoff().isEmpty() || d.rows() == 0) {
        continue;
      }
      if (d.table().boundedBy().filter(incomplete::contains).isPresent()) {
        failures.add(
            "deleting old rows of "
                + d.table().deleteFrom()
                + ": not done, as the old rows of "
                + d.table().boundedBy().get().table()
                + " are not all gone (the job rebuilds "
                + d.table().table()
                + " from them); run again later");
        continue;
      }
      try {
        long n =
            partitions.deleteOlder(
                d.table(),
                d.cutoff().get(),
                config.deleteBatch(),
                total ->
                    progress.accept(
                        String.format(
                            Locale.ROOT,
                            "  %s: %,d of %,d rows deleted",
                            d.table().deleteFrom(),
                            total,
                            d.rows())));
        deleted.put(d.table(), n);
        progress.accept(
            String.format(
                Locale.ROOT,
                "deleted %,d rows of %s older than %s",
                n,
                d.table().deleteFrom(),
                d.cutoff().get()));
      } catch (SQLException e) {
        incomplete.add(d.table());
        failures.add(failure("deleting old rows of " + d.table().deleteFrom(), e));
      }
    }
    return new Result(created, dropped, deleted, failures);
  }

  private String failure(String step, SQLException e) {
    return step
        + ": "
        + (PartitionMaintenance.lockTimedOut(e)
            ? "a lock was not granted within partitions.lock-timeout ("
                + config.lockTimeout().toMillis()
                + " ms; long queries on the table?); run again later"
            : e.getMessage());
  }
}
