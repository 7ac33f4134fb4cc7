package io.fraudwatch.app.pipeline;

import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The day partitions of scored_transactions for a run whose event times are known before it starts
 * (demo, backtest, bench), made in one go before the job starts: the job then never writes into
 * DEFAULT and never waits for DDL.
 */
public final class StreamPartitions {

  private StreamPartitions() {}

  /**
   * Creates the partitions of every UTC day from {@code first} to {@code last} (event times) that
   * is missing.
   */
  public static void prepare(
      DataSource db, Duration lockTimeout, Instant first, Instant last, PrintWriter progress)
      throws SQLException {
    SortedSet<LocalDate> days = new TreeSet<>();
    for (LocalDate d = LocalDate.ofInstant(first, ZoneOffset.UTC);
        !d.isAfter(LocalDate.ofInstant(last, ZoneOffset.UTC));
        d = d.plusDays(1)) {
      days.add(d);
    }
    long t0 = System.nanoTime();
    int created = new PartitionMaintenance(db, lockTimeout).ensure(days);
    progress.printf(
        "Partitions of scored_transactions for %s .. %s ready (%d created in %.1f s)%n",
        days.first(), days.last(), created, (System.nanoTime() - t0) / 1e9);
    progress.flush();
  }
}
