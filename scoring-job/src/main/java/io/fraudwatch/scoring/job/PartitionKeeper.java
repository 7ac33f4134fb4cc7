package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.maintenance.MaintenancePlan;
import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import io.fraudwatch.scoring.metrics.JobMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: makes the day partitions of scored_transactions exist before the stream writes into
 * them, never inside a streaming transaction. At start (before the first batch) it creates
 * yesterday to {@code daysAhead} days ahead of today and the days of the records the stream will
 * start with; then, on a thread of its own, every hour (the days ahead as the calendar moves; a
 * failed check is thus retried within the hour) and whenever a batch scored event-time days that
 * lack a partition or come within {@code daysAhead} days of one that does (a replay of old data
 * races through its days: each is created ahead of it). Rows written before their day exists wait
 * in the DEFAULT partition (counted in the metrics) and are moved out when it is created (which
 * locks the table for that moment, see migration V20).
 *
 * <p>A check that fails (a lock not granted within the lock timeout, PostgreSQL away) is logged and
 * counted, never fatal: the stream goes on, into DEFAULT if need be.
 */
final class PartitionKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionKeeper.class);
  private static final long CHECK_EVERY_MINUTES = 60;

  /**
   * The stream's waiting records spanning more event-time days than this are likely corrupt times,
   * not a replay.
   */
  private static final int MAX_SPAN_DAYS = 366;

  /**
   * After a failed check, batches do not ask for another one for this long (the hourly one still
   * runs).
   */
  private static final Duration QUIET_AFTER_FAILURE = Duration.ofMinutes(1);

  private final PartitionMaintenance partitions;
  private final int daysAhead;
  private final JobMetrics metrics;
  private final Clock clock;
  private final Set<LocalDate> existing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fraudwatch-partitions");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean checkQueued = new AtomicBoolean();
  private final Set<LocalDate> wanted = ConcurrentHashMap.newKeySet();
  private volatile boolean failing;
  private volatile Instant quietUntil = Instant.MIN;

  PartitionKeeper(PartitionMaintenance partitions, int daysAhead, JobMetrics metrics, Clock clock) {
    this.partitions = partitions;
    this.daysAhead = daysAhead;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Before the stream starts, on the caller's thread: the days ahead, and the stream's days from
   * the first to the last waiting (all of them when they span at most a year, else those two and
   * the days ahead of them); then the timer.
   */
  void start(Collection<LocalDate> streamDays) {
    SortedSet<LocalDate> days = new TreeSet<>(streamDays);
    if (!days.isEmpty() && days.first().plusDays(MAX_SPAN_DAYS).isAfter(days.last())) {
      for (LocalDate d = days.first(); d.isBefore(days.last()); d = d.plusDays(1)) {
        days.add(d);
      }
    }
    wanted.addAll(withDaysAhead(days, daysAhead));
    check();
    thread.scheduleWithFixedDelay(
        this::check, CHECK_EVERY_MINUTES, CHECK_EVERY_MINUTES, TimeUnit.MINUTES);
  }

  /**
   * After a batch (driver): the event days it scored. When a day or the days ahead of it lack
   * partitions, queues a check that makes twice as many days ahead: a replay racing through its
   * days then makes DDL once every {@code daysAhead} days, not at every batch.
   */
  void scored(Collection<LocalDate> eventDays) {
    SortedSet<LocalDate> needed = withDaysAhead(eventDays, daysAhead);
    needed.removeAll(existing);
    if (!needed.isEmpty() && !clock.instant().isBefore(quietUntil)) {
      wanted.addAll(withDaysAhead(eventDays, 2 * daysAhead));
      if (checkQueued.compareAndSet(false, true)) {
        thread.execute(
            () -> {
              checkQueued.set(false);
              check();
            });
      }
    }
  }

  private static SortedSet<LocalDate> withDaysAhead(Collection<LocalDate> days, int ahead) {
    SortedSet<LocalDate> all = new TreeSet<>(days);
    if (!days.isEmpty()) {
      LocalDate last = all.last();
      for (int i = 1; i <= ahead; i++) {
        all.add(last.plusDays(i));
      }
    }
    return all;
  }

  /** Creates what is missing of the days ahead of today and of the days batches asked for. */
  private synchronized void check() {
    SortedSet<LocalDate> days = new TreeSet<>(wanted);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    MaintenancePlan.DayRange ahead = MaintenancePlan.ahead(today, daysAhead);
    for (LocalDate d = ahead.from(); !d.isAfter(ahead.to()); d = d.plusDays(1)) {
      days.add(d);
    }
    try {
      existing.addAll(partitions.existingDays());
      days.removeAll(existing);
      int created = days.isEmpty() ? 0 : partitions.ensure(days);
      existing.addAll(days);
      wanted.removeAll(days);
      long waiting = partitions.defaultDays().values().stream().mapToLong(Long::longValue).sum();
      metrics.recordPartitionCheck(created, waiting);
      if (created > 0) {
        LOG.info("created {} partitions of scored_transactions ({})", created, describe(days));
      }
      if (waiting > 0) {
        LOG.warn(
            "{} rows wait in the DEFAULT partition of scored_transactions; `bin/fraudwatch maintain` moves them"
                + " into their days' partitions",
            waiting);
      }
      if (failing) {
        LOG.info("partition check recovered");
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      metrics.recordPartitionCheckFailed();
      quietUntil = clock.instant().plus(QUIET_AFTER_FAILURE);
      if (!failing) {
        LOG.warn(
            "could not create partitions of scored_transactions ({}); rows of days without one go to the DEFAULT"
                + " partition meanwhile; trying again later",
            PartitionMaintenance.lockTimedOut(e)
                ? "a lock was not granted within partitions.lock-timeout"
                : e.toString());
      }
      failing = true;
    }
  }

  private static String describe(SortedSet<LocalDate> days) {
    return days.size() == 1 ? days.first().toString() : days.first() + " .. " + days.last();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
