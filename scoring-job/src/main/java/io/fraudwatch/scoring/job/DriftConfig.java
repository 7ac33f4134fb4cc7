package io.fraudwatch.scoring.job;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drift monitoring: for every hour of event time, the PSI of each feature and of the score against
 * the champion's training distribution, over a trailing window of whole hours.
 *
 * @param threshold a PSI above it is logged as a warning (0.2: the conventional "significant
 *     shift")
 * @param lateness how long after an hour's end, in event time, the hour is measured; later
 *     transactions are not counted in it
 * @param minTransactions a window with fewer transactions is measured but not reported: the PSI of
 *     a small sample is large by chance alone (about (bins - 1) / n on average)
 * @param rowsPerHour the scored transactions read back per hour of event time, about: a busier hour
 *     is sampled, each transaction read counting for those it stands for
 */
public record DriftConfig(
    boolean enabled,
    double threshold,
    Duration window,
    Duration lateness,
    Set<String> exemptFeatures,
    int minTransactions,
    int rowsPerHour) {

  public DriftConfig {
    exemptFeatures = Set.copyOf(exemptFeatures);
  }

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "drift.enabled",
              "true",
              "measure drift: the PSI of each feature and of the score per hour of event time"),
          ConfigKey.of(
              "drift.psi-threshold",
              "0.2",
              "a PSI above this is logged as drift (0.2: the credit-scoring convention for a significant shift)"),
          ConfigKey.of(
              "drift.window",
              "24h",
              "the PSI of an hour covers the transactions of this many hours up to it (whole hours)"),
          ConfigKey.of(
              "drift.lateness",
              "10m",
              "an hour is measured once the stream's event time is this far past its end"),
          ConfigKey.of(
              "drift.exempt-features",
              "TX_DURING_WEEKEND",
              "comma-separated features measured and shown but never"
                  + " logged as drift: over a window shorter than a week the weekend flag is all 0 or all 1 by the calendar"),
          ConfigKey.of(
              "drift.min-transactions",
              "200",
              "a window with fewer transactions is measured but not logged as"
                  + " drift (the PSI of a small sample is large by chance)"),
          ConfigKey.of(
              "drift.rows-per-hour",
              "2000",
              "scored transactions read back per hour of event time, about: a busier hour is"
                  + " sampled by a hash of the transaction id, each one read counting for those it"
                  + " stands for (the PSI's sampling noise over a 24 h window stays near 10 / 48,000)"));

  public static DriftConfig from(Settings s) {
    Duration window = s.duration("drift.window");
    if (window.toMinutes() < 60 || window.toMinutes() % 60 != 0 || window.toHours() > 24 * 31) {
      throw new ConfigException(
          "drift.window",
          "must be a whole number of hours from 1h to 31d, got "
              + s.string("drift.window")
              + " (from "
              + s.origin("drift.window")
              + ")");
    }
    Set<String> exempt =
        s.optional("drift.exempt-features").stream()
            .flatMap(v -> Arrays.stream(v.split(",")))
            .map(String::trim)
            .filter(f -> !f.isEmpty())
            .collect(Collectors.toSet());
    return new DriftConfig(
        s.bool("drift.enabled"),
        s.number("drift.psi-threshold", 0, 100),
        window,
        s.duration("drift.lateness"),
        exempt,
        s.integer("drift.min-transactions", 1, Integer.MAX_VALUE),
        s.integer("drift.rows-per-hour", 1, Integer.MAX_VALUE));
  }

  /**
   * Whether this PSI is drift to report: above the threshold, of a feature not exempt, on enough
   * transactions.
   */
  public boolean reported(String feature, double psi, long transactions) {
    return psi > threshold && !exemptFeatures.contains(feature) && transactions >= minTransactions;
  }
}
