package io.fraudwatch.scoring.maintenance;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one maintenance run does, decided from the database's state: which day partitions of
 * scored_transactions it creates (the days ahead, a requested range, and the days whose rows wait
 * in the DEFAULT partition, which move into them), which it drops, and how many rows of each table
 * it deletes. Pure: {@code maintain --dry-run} prints it.
 *
 * @param create days whose partition is created, in order
 * @param moveFromDefault of those, the days with rows in DEFAULT, and how many
 * @param tooOld requested or DEFAULT days older than the scored transactions' retention: not
 *     created (their DEFAULT rows are deleted)
 * @param drop days whose partition is dropped (older than the retention)
 * @param deletions rows deleted per table, in order (DEFAULT's old rows under scored_transactions)
 */
public record MaintenancePlan(
    SortedSet<LocalDate> create,
    SortedMap<LocalDate, Long> moveFromDefault,
    SortedSet<LocalDate> tooOld,
    SortedSet<LocalDate> drop,
    List<Deletion> deletions) {

  /**
   * Rows of one table older than its cutoff; {@code cutoff} empty when the table is kept for ever.
   */
  public record Deletion(RetainedTable table, Optional<Instant> cutoff, long rows) {}

  /** An inclusive range of UTC days. */
  public record DayRange(LocalDate from, LocalDate to) {
    /** Days at most in one range: ten years of daily partitions. */
    public static final int MAX_DAYS = 3660;

    private static final LocalDate FIRST_DAY =
        LocalDate.ofInstant(StoreLimits.EARLIEST_TIME_EXCLUSIVE, ZoneOffset.UTC);
    private static final LocalDate LAST_DAY =
        LocalDate.ofInstant(StoreLimits.LATEST_TIME, ZoneOffset.UTC);

    public DayRange {
      if (to.isBefore(from)) {
        throw new IllegalArgumentException(
            "the range ends (" + to + ") before it starts (" + from + ")");
      }
      if (from.isBefore(FIRST_DAY) || to.isAfter(LAST_DAY)) {
        throw new IllegalArgumentException(
            "the days must lie in "
                + FIRST_DAY
                + " .. "
                + LAST_DAY
                + ", the event times the job accepts");
      }
      long days = ChronoUnit.DAYS.between(from, to) + 1;
      if (days > MAX_DAYS) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%,d days in one range; at most %,d (ten years of daily partitions) at once",
                days,
                MAX_DAYS));
      }
    }

    SortedSet<LocalDate> days() {
      SortedSet<LocalDate> days = new TreeSet<>();
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        days.add(d);
      }
      return days;
    }
  }

  public MaintenancePlan {
    create = Collections.unmodifiableSortedSet(new TreeSet<>(create));
    moveFromDefault = Collections.unmodifiableSortedMap(new TreeMap<>(moveFromDefault));
    tooOld = Collections.unmodifiableSortedSet(new TreeSet<>(tooOld));
    drop = Collections.unmodifiableSortedSet(new TreeSet<>(drop));
    deletions = List.copyOf(deletions);
  }

  /**
   * Where retention cuts {@code table} at {@code now}; empty when it is kept for ever. Scored
   * transactions go by whole UTC days (a day is dropped once all of it is older than the
   * retention), the other tables by the instant; a table {@link RetainedTable#boundedBy bounded by}
   * another is cut no later than that one (kept for ever if it is).
   */
  public static Optional<Instant> cutoff(
      RetainedTable table, MaintenanceConfig config, Instant now) {
    Duration keep = config.retention(table);
    if (keep.isZero()) {
      return Optional.empty();
    }
    Instant cut = now.minus(keep);
    if (table.boundedBy().isPresent()) {
      Optional<Instant> bound = cutoff(table.boundedBy().get(), config, now);
      return bound.map(b -> b.isBefore(cut) ? b : cut);
    }
    return Optional.of(
        table.partitioned()
            ? LocalDate.ofInstant(cut, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant()
            : cut);
  }

  /**
   * The days whose partitions should exist ahead of {@code today}: yesterday (late rows) to today +
   * days ahead.
   */
  public static DayRange ahead(LocalDate today, int daysAhead) {
    return new DayRange(today.minusDays(1), today.plusDays(daysAhead));
  }

  /**
   * @param requested extra days to create (e.g. the event-time range of a replay), empty for none
   * @param existing days that have a partition
   * @param defaultDays rows per day in the DEFAULT partition
   * @param oldRows per non-partitioned table, rows older than its cutoff (see {@link #cutoff})
   */
  public static MaintenancePlan of(
      Instant now,
      MaintenanceConfig config,
      Optional<DayRange> requested,
      SortedSet<LocalDate> existing,
      SortedMap<LocalDate, Long> defaultDays,
      Map<RetainedTable, Long> oldRows) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Optional<LocalDate> firstKept =
        cutoff(RetainedTable.SCORED_TRANSACTIONS, config, now)
            .map(c -> LocalDate.ofInstant(c, ZoneOffset.UTC));
    SortedSet<LocalDate> wanted = ahead(today, config.daysAhead()).days();
    requested.ifPresent(r -> wanted.addAll(r.days()));
    wanted.addAll(defaultDays.keySet());
    SortedSet<LocalDate> create = new TreeSet<>();
    SortedSet<LocalDate> tooOld = new TreeSet<>();
    for (LocalDate day : wanted) {
      if (firstKept.isPresent() && day.isBefore(firstKept.get())) {
        tooOld.add(day);
      } else if (!existing.contains(day)) {
        create.add(day);
      }
    }
    SortedMap<LocalDate, Long> move = new TreeMap<>(defaultDays);
    move.keySet().retainAll(create);
    SortedSet<LocalDate> drop = new TreeSet<>();
    firstKept.ifPresent(first -> drop.addAll(existing.headSet(first)));
    long oldDefaultRows =
        defaultDays.entrySet().stream()
            .filter(e -> firstKept.isPresent() && e.getKey().isBefore(firstKept.get()))
            .mapToLong(Map.Entry::getValue)
            .sum();
    List<Deletion> deletions = new ArrayList<>();
    for (RetainedTable t : RetainedTable.values()) {
      Optional<Instant> cut = cutoff(t, config, now);
      long rows =
          t.partitioned() ? oldDefaultRows : cut.isEmpty() ? 0 : oldRows.getOrDefault(t, 0L);
      deletions.add(new Deletion(t, cut, rows));
    }
    return new MaintenancePlan(create, move, tooOld, drop, deletions);
  }

  /** The plan as lines for people: what is created, moved, dropped and deleted. */
  public List<String> describe(MaintenanceConfig config) {
    List<String> lines = new ArrayList<>();
    lines.add("Partitions of scored_transactions:");
    lines.add("  create " + (create.isEmpty() ? "none (all exist)" : days(create)));
    moveFromDefault.forEach(
        (day, rows) ->
            lines.add(
                String.format(
                    Locale.ROOT,
                    "  move %,d rows of %s out of the DEFAULT partition into it",
                    rows,
                    day)));
    if (!tooOld.isEmpty()) {
      lines.add("  not created, older than retention.scored-transactions: " + days(tooOld));
    }
    lines.add("  drop " + (drop.isEmpty() ? "none" : days(drop)));
    lines.add("Retention:");
    for (Deletion d : deletions) {
      String keep =
          config.retention(d.table()).isZero()
              ? "kept for ever"
              : "keep " + Durations.format(config.retention(d.table()));
      if (!config.retention(d.table()).isZero() && d.table().boundedBy().isPresent()) {
        keep += " (no longer than " + d.table().boundedBy().get().table() + ")";
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-20s %-16s %s",
              d.table().table(),
              keep,
              d.cutoff().isEmpty()
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      "delete %,d rows with %s before %s%s",
                      d.rows(),
                      d.table().partitioned()
                          ? "event_time (DEFAULT partition)"
                          : d.table().timeColumn(),
                      d.cutoff().get(),
                      d.table().partitioned() ? ", after the partitions above" : "")));
    }
    return lines;
  }

  /** Days as runs of consecutive days: "2018-04-01..2018-04-30, 2018-06-01". */
  static String days(SortedSet<LocalDate> days) {
    List<String> runs = new ArrayList<>();
    LocalDate first = null;
    LocalDate last = null;
    for (LocalDate d : days) {
      if (last != null && d.equals(last.plusDays(1))) {
        last = d;
        continue;
      }
      if (first != null) {
        runs.add(first.equals(last) ? first.toString() : first + ".." + last);
      }
      first = d;
      last = d;
    }
    if (first != null) {
      runs.add(first.equals(last) ? first.toString() : first + ".." + last);
    }
    return String.join(", ", runs) + " (" + days.size() + (days.size() == 1 ? " day)" : " days)");
  }
}
