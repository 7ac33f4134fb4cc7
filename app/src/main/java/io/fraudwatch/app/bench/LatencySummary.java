package io.fraudwatch.app.bench;

import org.HdrHistogram.Histogram;

/**
 * Event-to-alert latency of a run: from when each event was due to be sent (the open-loop schedule,
 * so a producer or system that fell behind shows its delay instead of hiding it: no coordinated
 * omission) to when its alert was read from the alert topic. Only alerted events are samples: the
 * ones whose alert PostgreSQL holds.
 *
 * @param count alerted events whose alert was read from the topic
 * @param missing alerted events (stored in PostgreSQL) whose alert never arrived on the topic
 */
public record LatencySummary(long count, long missing, double p50Ms, double p99Ms, double maxMs) {

  /** Up to an hour, 3 significant digits. */
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  /**
   * @param dueNanos when each event was due ({@link System#nanoTime()}), by stream position
   * @param alertedNanos when its alert was read from the topic, 0 when never
   * @param alerted stream positions of the run's events that alerted (their alert stored)
   */
  public static LatencySummary of(long[] dueNanos, long[] alertedNanos, long[] alerted) {
    Histogram h = new Histogram(HIGHEST_MICROS, 3);
    long missing = 0;
    for (long position : alerted) {
      int i = Math.toIntExact(position);
      if (alertedNanos[i] == 0) {
        missing++;
      } else {
        long micros = Math.max(0, (alertedNanos[i] - dueNanos[i]) / 1_000);
        h.recordValue(Math.min(micros, HIGHEST_MICROS));
      }
    }
    if (h.getTotalCount() == 0) {
      return new LatencySummary(0, missing, Double.NaN, Double.NaN, Double.NaN);
    }
    return new LatencySummary(
        h.getTotalCount(),
        missing,
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
