package io.fraudwatch.scoring.maintenance;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.Settings;
import io.fraudwatch.features.HandbookFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Partitions made ahead of time and retention per table.
 *
 * @param daysAhead days after today (UTC) whose scored_transactions partitions exist in advance
 * @param lockTimeout how long partition DDL waits for a lock before it gives up (and is tried again
 *     later) rather than queue the stream's writes behind a long read
 * @param retention how long each table keeps rows; {@link Duration#ZERO} = for ever
 * @param deleteBatch rows per DELETE transaction
 */
public record MaintenanceConfig(
    int daysAhead, Duration lockTimeout, Map<RetainedTable, Duration> retention, int deleteBatch) {

  /** A day of margin over the windows: partitions are dropped by whole UTC days. */
  static final Duration MARGIN = Duration.ofDays(1);

  public static final List<ConfigKey> KEYS = keys();

  public MaintenanceConfig {
    retention = Collections.unmodifiableMap(new EnumMap<>(retention));
  }

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new ArrayList<>(
            List.of(
                ConfigKey.of(
                    "partitions.days-ahead",
                    "7",
                    "days after today whose scored_transactions partitions are made in"
                        + " advance (by maintain, and by the job at start and hourly)"),
                ConfigKey.of(
                    "partitions.lock-timeout",
                    "5s",
                    "how long partition DDL waits for a table lock before it gives up"
                        + " and is tried again later"),
                ConfigKey.of(
                    "retention.delete-batch",
                    "10000",
                    "rows deleted per transaction when maintain applies retention")));
    Map<String, ConfigKey> byName = new LinkedHashMap<>();
    for (RetainedTable t : RetainedTable.values()) {
      byName.putIfAbsent(
          t.key(),
          ConfigKey.of(
              t.key(),
              t.defaultRetention(),
              "how long maintain keeps " + t.description() + " (0 = for ever)"));
    }
    keys.addAll(byName.values());
    return List.copyOf(keys);
  }

  /**
   * @param labelDelay the job's label delay: the tables the job reads back must keep at least the
   *     longest feature window plus it (and a day)
   * @throws ConfigException for a retention shorter than that
   */
  public static MaintenanceConfig from(Settings s, Duration labelDelay) {
    Map<RetainedTable, Duration> retention = new EnumMap<>(RetainedTable.class);
    Duration needed = minimumForJob(labelDelay);
    for (RetainedTable t : RetainedTable.values()) {
      Duration d = s.duration(t.key());
      if (!d.isZero() && d.toMillis() < Duration.ofDays(1).toMillis()) {
        throw new ConfigException(
            t.key(),
            "must be 0 (keep for ever) or at least 1d, got "
                + s.string(t.key())
                + " (from "
                + s.origin(t.key())
                + ")");
      }
      if (t.readByJob() && !d.isZero() && d.compareTo(needed) < 0) {
        throw new ConfigException(
            t.key(),
            "must be 0 (keep for ever) or at least "
                + Durations.format(needed)
                + ": the job reads "
                + t.table()
                + " back up to the 30-day feature window plus the label delay ("
                + Durations.format(labelDelay)
                + ") and a day; got "
                + s.string(t.key())
                + " (from "
                + s.origin(t.key())
                + ")");
      }
      retention.put(t, d);
    }
    return new MaintenanceConfig(
        s.integer("partitions.days-ahead", 0, 366),
        positive(s, "partitions.lock-timeout"),
        retention,
        s.integer("retention.delete-batch", 1, 1_000_000));
  }

  /** The shortest retention of the tables the job reads back. */
  public static Duration minimumForJob(Duration labelDelay) {
    return HandbookFeatures.CUSTOMER_HORIZON.plus(labelDelay).plus(MARGIN);
  }

  public Duration retention(RetainedTable t) {
    return retention.get(t);
  }

  private static Duration positive(Settings s, String key) {
    Duration d = s.duration(key);
    if (d.isZero()) {
      throw new ConfigException(key, "must be positive");
    }
    return d;
  }
}
