package io.fraudwatch.scoring.job;

import io.fraudwatch.models.drift.DriftWindow;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where the drift monitor hands each measured hour besides the {@code drift} table and the log: the
 * place for the Prometheus gauges of drift (one per feature and the score, for the champion; and a
 * counter of threshold crossings). Called on the monitor's own thread, off the batches.
 */
@FunctionalInterface
public interface DriftHook {
  /** No export: the drift table and the log only. */
  DriftHook NONE = (version, hour, values, reported) -> {};

  /**
   * @param values the PSI of every feature and then of the score ({@link DriftWindow#SCORE}) at
   *     {@code hour}
   * @param reported whether a value is reported as drift: above {@code drift.psi-threshold}, over
   *     enough transactions, not an exempt feature
   */
  void measured(
      long modelVersion,
      Instant hour,
      List<DriftWindow.Value> values,
      Predicate<DriftWindow.Value> reported);
}
