package io.fraudwatch.scoring.job;

import io.fraudwatch.models.ModelStore;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.drift.DriftWindow;
import io.fraudwatch.models.training.DistributionBackfill;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side, off the batches: once the stream's event time has passed an hour (plus {@code
 * drift.lateness}), reads that hour's scored transactions back from the scored log (the raw
 * features and score each version logged), counts them into each version's training-distribution
 * bins, and writes the PSI of every feature and of the score over the trailing window to {@code
 * fraudwatch.drift}; a PSI that goes above the threshold is logged as a warning (once, until it is
 * back under it, which is logged too), and every measured hour goes to the {@link DriftHook}.
 *
 * <p>Why read the scored log rather than count on the executors: it leaves the per-record path and
 * the partition tasks untouched, costs one query per hour of event time (a BRIN range on
 * event_time), and survives restarts without state of its own: the next hour to measure is the one
 * after the last in the drift table.
 *
 * <p>An hour of more than {@code drift.rows-per-hour} transactions is sampled: one in {@code
 * stride} by a hash of the transaction id, each counted as {@code stride}. Reading every row back
 * took 36 of the bench JVM's 249 CPU samples in its 0.5 s rate phase at 50,000 events/s (a JFR
 * profile; an hour of event time passes there in under half a second), and would read 180 million
 * rows in one burst every hour at that rate in real time; the PSI of a 24-hour window of 48,000
 * sampled rows has a sampling noise near 10 / 48,000. PostgreSQL still visits the hour's rows (the
 * BRIN range) to pick the sample; it no longer sends them.
 *
 * <p>Runs on one daemon thread; {@link #streamAt} only records the watermark and wakes it.
 */
final class DriftMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
  private static final Duration HOUR = Duration.ofHours(1);

  /**
   * How far back a job that starts (or restarts after a long stop) measures hours it has not
   * measured yet.
   */
  static final Duration CATCH_UP = Duration.ofDays(7);

  private final DataSource db;
  private final ModelStore store;
  private final DistributionBackfill backfill;
  private final DriftConfig config;
  private final DriftHook hook;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fraudwatch-drift");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile Instant watermark;
  // monitor thread only
  private final Map<Long, Optional<DriftWindow>> windows = new HashMap<>();
  // "version feature" above the threshold at the last measured hour: the log says when drift starts
  // and ends
  private final Set<String> aboveThreshold = new HashSet<>();
  private Instant nextHour;

  /**
   * The scored transactions the next hour to read is expected to hold: the last hour's, as read
   * (estimated when sampled); -1 before the first.
   */
  private long expectedRows = -1;

  private long hoursMeasured;
  private long rowsRead;
  private long nanosSpent;
  private boolean failedBefore;

  DriftMonitor(
      DataSource db, ModelStore store, DriftConfig config, Duration labelDelay, DriftHook hook) {
    this.db = db;
    this.store = store;
    this.backfill = new DistributionBackfill(db, store, labelDelay);
    this.config = config;
    this.hook = hook;
  }

  /** Transactions step: the latest event time scored so far; returns at once. */
  void streamAt(Instant latestEventTime) {
    if (latestEventTime == null || (watermark != null && !latestEventTime.isAfter(watermark))) {
      return;
    }
    watermark = latestEventTime;
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::catchUp);
    }
  }

  private void catchUp() {
    scheduled.set(false);
    try {
      Instant until = watermark.minus(config.lateness());
      if (nextHour == null) {
        nextHour = firstHour(until);
        if (nextHour == null) {
          return;
        }
        // the window before the first hour to measure
        for (Instant h = nextHour.minus(config.window()).plus(HOUR);
            h.isBefore(nextHour);
            h = h.plus(HOUR)) {
          read(h);
        }
      }
      while (!nextHour.plus(HOUR).isAfter(until)) {
        long t0 = System.nanoTime();
        read(nextHour);
        measure(nextHour);
        nanosSpent += System.nanoTime() - t0;
        hoursMeasured++;
        nextHour = nextHour.plus(HOUR);
      }
      failedBefore = false;
    } catch (RuntimeException | SQLException e) {
      // drift is an observation, not a reason to stop scoring: try again at the next batch
      if (!failedBefore) {
        LOG.warn(
            "drift monitoring failed at hour {}; it retries with the next batches", nextHour, e);
      }
      failedBefore = true;
    }
  }

  /**
   * After the last measured hour, or the earliest scored hour of the catch-up period; null when
   * nothing is scored.
   */
  private Instant firstHour(Instant until) throws SQLException {
    Instant earliest = until.minus(CATCH_UP).truncatedTo(ChronoUnit.HOURS);
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT max(hour) FROM fraudwatch.drift), "
                    + "(SELECT min(event_time) FROM fraudwatch.scored_transactions WHERE event_time >= ? AND event_time < ?)")) {
      ps.setObject(1, earliest.atOffset(ZoneOffset.UTC));
      ps.setObject(2, until.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime measured = rs.getObject(1, OffsetDateTime.class);
        OffsetDateTime scored = rs.getObject(2, OffsetDateTime.class);
        c.rollback();
        if (measured != null && !measured.toInstant().isBefore(earliest)) {
          return measured.toInstant().plus(HOUR);
        }
        return scored == null ? null : scored.toInstant().truncatedTo(ChronoUnit.HOURS);
      }
    }
  }

  /**
   * One in how many of an hour's {@code rows} transactions to read so that about {@code
   * rowsPerHour} are: all of them up to it.
   */
  static long stride(long rows, int rowsPerHour) {
    return Math.max(1, (rows + rowsPerHour - 1) / rowsPerHour);
  }

  /**
   * Counts the hour's scored transactions, or a sample of them, into the windows of the versions
   * that scored them. The sample's size comes from the last hour read; below {@code
   * drift.rows-per-hour}, or for the first hour, from a count of this one, so that the first busy
   * hour after a quiet one (a stream catching up after an outage) is sampled too.
   */
  private void read(Instant hour) throws SQLException {
    long expected = expectedRows >= config.rowsPerHour() ? expectedRows : count(hour);
    long stride = stride(expected, config.rowsPerHour());
    long read =
        inHour(
            "SELECT model_version, event_time, features, score",
            hour,
            stride,
            rs -> {
              long n = 0;
              while (rs.next()) {
                Optional<DriftWindow> w = window(rs.getLong(1));
                if (w.isPresent()) {
                  Double[] f = (Double[]) rs.getArray(3).getArray();
                  double[] features = new double[f.length];
                  for (int i = 0; i < f.length; i++) {
                    features[i] = f[i];
                  }
                  w.get()
                      .add(
                          rs.getObject(2, OffsetDateTime.class).toInstant(),
                          features,
                          rs.getDouble(4),
                          stride);
                }
                n++;
              }
              return n;
            });
    rowsRead += read;
    expectedRows = read * stride;
  }

  private long count(Instant hour) throws SQLException {
    return inHour(
        "SELECT count(*)",
        hour,
        1,
        rs -> {
          rs.next();
          return rs.getLong(1);
        });
  }

  private interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * {@code select} over one in {@code stride} of the hour's scored transactions (all of them for
   * 1), by a hash of the transaction id.
   */
  private <T> T inHour(String select, Instant hour, long stride, Rows<T> rows) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                select
                    + " FROM fraudwatch.scored_transactions WHERE event_time >= ? AND event_time < ?"
                    + " AND (hashtext(transaction_id) & 2147483647) % ? = 0")) {
      ps.setFetchSize(5_000);
      ps.setObject(1, hour.atOffset(ZoneOffset.UTC));
      ps.setObject(2, hour.plus(HOUR).atOffset(ZoneOffset.UTC));
      ps.setLong(3, stride);
      try (ResultSet rs = ps.executeQuery()) {
        return rows.read(rs);
      } finally {
        c.rollback();
      }
    }
  }

  private Optional<DriftWindow> window(long version) throws SQLException {
    Optional<DriftWindow> w = windows.get(version);
    if (w == null) {
      ModelVersion v = store.require(version);
      w = backfill.distribution(v).map(d -> new DriftWindow(d, config.window()));
      if (w.isEmpty()) {
        LOG.warn(
            "{} has no training distribution and none can be computed (no history or scored rows of its"
                + " training window {}..{}); its drift is not measured",
            v.label(),
            v.content().training().from(),
            v.content().training().to());
      }
      windows.put(version, w);
    }
    return w;
  }

  private void measure(Instant hour) throws SQLException {
    for (Map.Entry<Long, Optional<DriftWindow>> e : windows.entrySet()) {
      if (e.getValue().isEmpty() || e.getValue().get().rowsIn(hour) == 0) {
        continue;
      }
      List<DriftWindow.Value> values = e.getValue().get().psiAt(hour);
      write(e.getKey(), hour, values);
      for (DriftWindow.Value v : values) {
        boolean above = config.reported(v.variable(), v.psi(), v.rows());
        String key = e.getKey() + " " + v.variable();
        boolean changed = above ? aboveThreshold.add(key) : aboveThreshold.remove(key);
        String what =
            v.variable().equals(DriftWindow.SCORE) ? "the score" : "feature " + v.variable();
        if (above && changed) {
          LOG.warn(
              String.format(
                  Locale.ROOT,
                  "drift: %s of v%d has PSI %.3f over the %d h up to %s (%,d"
                      + " transactions), above the threshold %.2f",
                  what,
                  e.getKey(),
                  v.psi(),
                  config.window().toHours(),
                  hour.plus(HOUR),
                  v.rows(),
                  config.threshold()));
        } else if (changed) {
          LOG.info(
              String.format(
                  Locale.ROOT,
                  "drift: %s of v%d is back under the threshold %.2f (PSI %.3f over the"
                      + " %d h up to %s)",
                  what,
                  e.getKey(),
                  config.threshold(),
                  v.psi(),
                  config.window().toHours(),
                  hour.plus(HOUR)));
        }
      }
      hook.measured(
          e.getKey(), hour, values, v -> config.reported(v.variable(), v.psi(), v.rows()));
    }
    for (Optional<DriftWindow> w : windows.values()) {
      w.ifPresent(d -> d.forgetBefore(hour.plus(HOUR)));
    }
  }

  private void write(long version, Instant hour, List<DriftWindow.Value> values)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fraudwatch.drift"
                    + " (model_version, hour, feature, psi, transactions, window_hours) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (model_version, hour, feature) DO UPDATE SET psi = excluded.psi,"
                    + " transactions = excluded.transactions, window_hours = excluded.window_hours, computed_at = now()")) {
      for (DriftWindow.Value v : values) {
        ps.setLong(1, version);
        ps.setObject(2, hour.atOffset(ZoneOffset.UTC));
        ps.setString(3, v.variable());
        ps.setDouble(4, v.psi());
        ps.setLong(5, v.rows());
        ps.setInt(6, (int) config.window().toHours());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }
  }

  /** Stops the thread (an hour being measured is finished first, for a few seconds at most). */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (hoursMeasured > 0) {
      LOG.info(
          String.format(
              Locale.ROOT,
              "drift monitor: %d hours measured, %,d scored rows read, %.1f ms per hour",
              hoursMeasured,
              rowsRead,
              nanosSpent / 1e6 / hoursMeasured));
    }
  }
}
