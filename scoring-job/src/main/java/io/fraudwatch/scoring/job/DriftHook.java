package io.fraudwatch.scoring.job;

import io.fraudwatch.models.drift.DriftWindow;
import java.time.Instant;
import java.util.List;

/**
 * Where the drift monitor hands each measured hour besides the {@code drift} table and the log: the place for the
 * Prometheus gauges of drift (one per feature and the score, for the champion; and a counter of threshold
 * crossings). Called on the monitor's own thread, off the batches.
 */
@FunctionalInterface
public interface DriftHook {
  /** No export: the drift table and the log only. */
  DriftHook NONE = (version, hour, values, threshold) -> {};

  /**
   * @param values the PSI of every feature and then of the score ({@link DriftWindow#SCORE}) at {@code hour}
   * @param threshold the configured threshold ({@code drift.psi-threshold})
   */
  void measured(long modelVersion, Instant hour, List<DriftWindow.Value> values, double threshold);
}
