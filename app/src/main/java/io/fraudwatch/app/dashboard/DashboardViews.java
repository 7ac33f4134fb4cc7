package io.fraudwatch.app.dashboard;

import java.util.List;

/**
 * What the page's JSON endpoints answer, one record each (Jackson writes them). Times are epoch
 * seconds (UTC), the x values the page's charts take; series are parallel lists, null where there
 * is no value.
 */
public final class DashboardViews {
  private DashboardViews() {}

  /** The header: the latest state at a glance. */
  public record Overview(
      String job,
      Long latestBatch,
      double eventsPerSecond,
      long batchesShown,
      Long processingMs,
      Long schedulingDelayMs,
      String model,
      Long champion,
      Long challenger,
      Long eventTime,
      Long day,
      long alertsThatDay,
      int alertBudget,
      Double maxPsi,
      String maxPsiFeature,
      Long driftHour,
      double driftThreshold,
      long deadLetters,
      int hours,
      int days,
      long refreshSeconds) {}

  /** Batches over the last hours of the job (wall time), in buckets of {@code bucketSeconds}. */
  public record Throughput(
      long bucketSeconds,
      List<Long> time,
      List<Double> eventsPerSecond,
      List<Long> processingMsMax,
      List<Long> schedulingDelayMsMax,
      List<Long> alerts,
      List<Long> deadLetters) {}

  /** Alerts per hour and per day of event time, against the daily budget. */
  public record Alerts(
      List<Long> hour,
      List<Long> perHour,
      List<Long> day,
      List<Long> perDay,
      int budget,
      long daysOverBudget) {}

  /**
   * Per day of event time: alert precision on the labelled alerts, the labelled share, card
   * precision@k.
   */
  public record Quality(
      int k,
      List<Long> day,
      List<Double> alertPrecision,
      List<Double> labelledShare,
      List<Long> alerts,
      List<Double> cardPrecision,
      Long cardPrecisionComputedAt) {}

  /** One promotion or rollback from the model store's audit trail. */
  public record SlotEvent(
      long time,
      String slot,
      String action,
      Long fromVersion,
      long toVersion,
      String actor,
      String reason) {}

  /**
   * The online versions' prequential figures: the learner's weights against the champion's logged
   * scores.
   */
  public record Models(
      String model,
      Long champion,
      Long challenger,
      List<SlotEvent> events,
      List<Long> versionTime,
      List<Long> version,
      List<Double> learnerAucRoc,
      List<Double> championAucRoc,
      List<Double> learnerAveragePrecision,
      List<Double> championAveragePrecision,
      long versions) {}

  /** One feature's PSI per hour. */
  public record DriftSeries(String feature, List<Double> psi) {}

  /**
   * A feature's PSI in the latest measured hour; exempt features (drift.exempt-features) and
   * windows of fewer than drift.min-transactions are shown, not reported.
   */
  public record DriftLatest(
      String feature,
      double psi,
      long transactions,
      long version,
      boolean exempt,
      boolean enoughTransactions) {}

  /**
   * PSI per hour of event time of the score and of the features that drifted most, and every
   * feature's latest.
   */
  public record Drift(
      double threshold,
      Integer windowHours,
      List<Long> hour,
      List<DriftSeries> series,
      List<DriftLatest> latest,
      Long latestHour) {}

  /** Dead letters by reason code over the shown hours of batches. */
  public record DeadLetterReason(String reason, long deadLetters) {}

  public record DeadLetters(long total, List<DeadLetterReason> reasons) {}

  /** A terminal whose alert rate over the last 10 minutes is above its last hour's. */
  public record AlertRateJump(
      String terminal,
      long transactions10m,
      long alerts10m,
      double rate10m,
      long transactions1h,
      long alerts1h,
      double rate1h) {}

  /**
   * The largest jumps, from the job's activity windows as of their latest batch (epoch seconds,
   * null when none).
   */
  public record AlertRateJumps(Long asOf, List<AlertRateJump> terminals) {}
}
