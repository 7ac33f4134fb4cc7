package io.fraudwatch.scoring.metrics;

import io.fraudwatch.models.drift.DriftWindow;
import io.fraudwatch.models.online.PrequentialWindow;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every metric the scoring job exports, in one registry of its own (served on {@code /metrics} by
 * {@link MetricsServer}), with JVM metrics. Plain Java: the job's wiring calls the {@code
 * record...} methods from the driver with what each batch brought back from the executors, and
 * tests use it without Spark.
 *
 * <p>To add metrics (drift, say), register them on {@link #registry()}; names start with {@code
 * fraudwatch_}, carry their unit, and counters end in {@code _total}.
 *
 * <p>Thread-safe: batches record from the streaming threads while scrapes read from the HTTP
 * server's.
 */
public final class JobMetrics {

  /**
   * Executors whose history cache has not reported for this long no longer count for the snapshot
   * age.
   */
  static final Duration EXECUTOR_STALE_AFTER = Duration.ofMinutes(10);

  private static final double[] BATCH_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120};
  private static final double[] COMMIT_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Clock clock;

  private final Counter transactionsScored;
  private final Counter deadLetters;
  private final Counter alerts;
  private final Counter labels;
  private final Gauge consumerLag;
  private final Histogram batchProcessing;
  private final Histogram schedulingDelay;
  private final Gauge lastBatch;
  private final Gauge latestEventTime;
  private final Histogram postgresCommit;
  private final Counter historyRefreshFailures;
  private final Gauge modelVersion;
  private final Gauge prequentialAucRoc;
  private final Gauge prequentialAveragePrecision;
  private final Gauge prequentialLabels;
  private final ScoreHistogram scores = new ScoreHistogram();
  private final Counter defaultPartitionRows;
  private final Gauge defaultPartitionWaiting;
  private final Gauge driftPsi;
  private final Gauge driftAboveThreshold;
  private final Counter driftCrossings;
  private final Gauge driftHour;
  private final Counter partitionsCreated;
  private final Counter partitionMaintenanceFailures;
  private final Counter lateForSessions;

  private record ExecutorHistory(
      Instant lastSnapshotAt, long refreshFailures, Instant reportedAt) {}

  private final Map<String, ExecutorHistory> executors = new ConcurrentHashMap<>();

  public JobMetrics(Clock clock) {
    this.clock = clock;
    transactionsScored =
        Counter.builder()
            .name("fraudwatch_transactions_scored_total")
            .help("Valid transactions scored (and stored) by the job")
            .register(registry);
    deadLetters =
        Counter.builder()
            .name("fraudwatch_dead_letters_total")
            .help("Records sent to the dead-letter topic, by reason code")
            .labelNames("reason")
            .register(registry);
    alerts =
        Counter.builder()
            .name("fraudwatch_alerts_total")
            .help("Alerts raised (stored and sent to the alert topic)")
            .register(registry);
    labels =
        Counter.builder()
            .name("fraudwatch_labels_total")
            .help("Fraud labels read from the labels topic and stored")
            .register(registry);
    consumerLag =
        Gauge.builder()
            .name("fraudwatch_consumer_lag_records")
            .help(
                "Records in a topic partition after the last batch's end (end offset - batch until offset)")
            .labelNames("topic", "partition")
            .register(registry);
    batchProcessing =
        Histogram.builder()
            .name("fraudwatch_batch_processing_seconds")
            .help("Time a streaming batch took to process, all of its steps")
            .classicOnly()
            .classicUpperBounds(BATCH_SECONDS)
            .register(registry);
    schedulingDelay =
        Histogram.builder()
            .name("fraudwatch_batch_scheduling_delay_seconds")
            .help(
                "Time a streaming batch waited before it started (grows when the job falls behind)")
            .classicOnly()
            .classicUpperBounds(BATCH_SECONDS)
            .register(registry);
    lastBatch =
        Gauge.builder()
            .name("fraudwatch_last_batch_completed_timestamp_seconds")
            .help("When the last streaming batch completed (Unix time)")
            .register(registry);
    latestEventTime =
        Gauge.builder()
            .name("fraudwatch_latest_event_timestamp_seconds")
            .help(
                "Latest event time of the transactions scored so far (Unix time); far behind the clock in a replay")
            .register(registry);
    postgresCommit =
        Histogram.builder()
            .name("fraudwatch_postgres_commit_seconds")
            .help(
                "A Kafka partition's PostgreSQL transaction in a batch, measured on the executor: staging COPY, the"
                    + " inserts, the offset and the COMMIT")
            .classicOnly()
            .classicUpperBounds(COMMIT_SECONDS)
            .register(registry);
    GaugeWithCallback.builder()
        .name("fraudwatch_history_snapshot_age_seconds")
        .help("Age of the oldest full feature-history snapshot among the executors scoring now")
        .callback(cb -> oldestSnapshot().ifPresent(age -> cb.call(age)))
        .register(registry);
    historyRefreshFailures =
        Counter.builder()
            .name("fraudwatch_history_refresh_failures_total")
            .help(
                "Feature-history refreshes from PostgreSQL that failed on the executors (scoring went on with the"
                    + " history held)")
            .register(registry);
    modelVersion =
        Gauge.builder()
            .name("fraudwatch_model_version")
            .help(
                "Model-store version id in each slot (champion scores and alerts; challenger is shadow-scored)")
            .labelNames("slot")
            .register(registry);
    prequentialAucRoc =
        Gauge.builder()
            .name("fraudwatch_prequential_auc_roc")
            .help(
                "AUC ROC on the learner's prequential window, of the online learner and of the champion's logged"
                    + " scores")
            .labelNames("model")
            .register(registry);
    prequentialAveragePrecision =
        Gauge.builder()
            .name("fraudwatch_prequential_average_precision")
            .help(
                "Average precision on the learner's prequential window, of the online learner and of the champion's"
                    + " logged scores")
            .labelNames("model")
            .register(registry);
    prequentialLabels =
        Gauge.builder()
            .name("fraudwatch_prequential_window_labels")
            .help("Labelled transactions in the learner's prequential window")
            .register(registry);
    registry.register(scores);
    defaultPartitionRows =
        Counter.builder()
            .name("fraudwatch_default_partition_rows_total")
            .help(
                "Scored transactions written into the DEFAULT partition of scored_transactions (no partition for"
                    + " their day yet)")
            .register(registry);
    defaultPartitionWaiting =
        Gauge.builder()
            .name("fraudwatch_default_partition_waiting_rows")
            .help(
                "Rows in the DEFAULT partition at the last partition check (moved out when their day is created)")
            .register(registry);
    partitionsCreated =
        Counter.builder()
            .name("fraudwatch_partitions_created_total")
            .help("Day partitions of scored_transactions created by the job's driver")
            .register(registry);
    partitionMaintenanceFailures =
        Counter.builder()
            .name("fraudwatch_partition_maintenance_failures_total")
            .help("Partition checks of the job's driver that failed (tried again later)")
            .register(registry);
    lateForSessions =
        Counter.builder()
            .name("fraudwatch_session_late_transactions_total")
            .help(
                "Transactions left out of the sessions: they came more than sessions.gap before"
                    + " their customer's open session began (still scored and in the windows)")
            .register(registry);
    driftPsi =
        Gauge.builder()
            .name("fraudwatch_drift_psi")
            .help(
                "Population stability index of each feature and of the score (variable=\"score\") against the champion's"
                    + " training distribution, over drift.window up to the latest measured hour")
            .labelNames("variable")
            .register(registry);
    driftAboveThreshold =
        Gauge.builder()
            .name("fraudwatch_drift_above_threshold")
            .help(
                "1 when the variable's PSI is reported as drift (above drift.psi-threshold over at least"
                    + " drift.min-transactions, not an exempt feature), else 0")
            .labelNames("variable")
            .register(registry);
    driftCrossings =
        Counter.builder()
            .name("fraudwatch_drift_threshold_crossings_total")
            .help("Times a variable's PSI went above the drift threshold")
            .labelNames("variable")
            .register(registry);
    driftHour =
        Gauge.builder()
            .name("fraudwatch_drift_measured_hour_timestamp_seconds")
            .help("Event-time hour the drift gauges were measured at (its start)")
            .register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** The registry that {@code /metrics} serves: register more metrics here. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** One Kafka partition's share of a batch of transactions, as its task measured it. */
  public void recordTransactionPartition(long scored, long alertCount, PartitionMetrics m) {
    transactionsScored.inc(scored);
    alerts.inc(alertCount);
    m.deadLettersByReason().forEach((reason, n) -> deadLetters.labelValues(reason).inc(n));
    scores.add("champion", m.championScores());
    scores.add("challenger", m.challengerScores());
    if (m.postgresNanos() >= 0) {
      postgresCommit.observe(m.postgresNanos() / 1e9);
    }
    defaultPartitionRows.inc(m.defaultPartitionRows());
    if (m.history() != null) {
      recordHistory(m.history());
    }
  }

  private void recordHistory(PartitionMetrics.History h) {
    ExecutorHistory before =
        executors.put(
            h.executorId(),
            new ExecutorHistory(h.lastSnapshotAt(), h.refreshFailures(), clock.instant()));
    long newFailures = h.refreshFailures() - (before == null ? 0 : before.refreshFailures());
    if (newFailures > 0) {
      historyRefreshFailures.inc(newFailures);
    }
  }

  private OptionalDouble oldestSnapshot() {
    Instant now = clock.instant();
    executors.values().removeIf(e -> e.reportedAt().plus(EXECUTOR_STALE_AFTER).isBefore(now));
    return executors.values().stream()
        .filter(e -> e.lastSnapshotAt() != null)
        .mapToDouble(
            e -> Math.max(0, Duration.between(e.lastSnapshotAt(), now).toMillis() / 1000.0))
        .max();
  }

  /** A batch's labels: those stored, and the records of the labels topic dead-lettered. */
  public void recordLabels(long stored, Map<String, Long> deadLettersByReason) {
    labels.inc(stored);
    deadLettersByReason.forEach((reason, n) -> deadLetters.labelValues(reason).inc(n));
  }

  /** A completed streaming batch (Spark's own figures for it). */
  public void recordBatch(Duration processing, Duration schedulingDelay) {
    batchProcessing.observe(processing.toMillis() / 1000.0);
    this.schedulingDelay.observe(schedulingDelay.toMillis() / 1000.0);
    lastBatch.set(clock.millis() / 1000.0);
  }

  public void recordLatestEventTime(Instant eventTime) {
    latestEventTime.set(Math.max(latestEventTime.get(), eventTime.toEpochMilli() / 1000.0));
  }

  /**
   * @param untilOffsets per partition, where the last batch ended
   * @param endOffsets per partition, the topic's end offset read after the batch
   */
  public void recordLag(
      String topic, Map<Integer, Long> untilOffsets, Map<Integer, Long> endOffsets) {
    untilOffsets.forEach(
        (partition, until) -> {
          Long end = endOffsets.get(partition);
          if (end != null) {
            consumerLag
                .labelValues(topic, Integer.toString(partition))
                .set(Math.max(0, end - until));
          }
        });
  }

  /**
   * @param challenger null when the model has none
   */
  public void recordModels(long champion, Long challenger) {
    modelVersion.labelValues("champion").set(champion);
    if (challenger == null) {
      modelVersion.remove("challenger");
    } else {
      modelVersion.labelValues("challenger").set(challenger);
    }
  }

  public void recordPrequential(PrequentialWindow.Metrics m) {
    prequentialLabels.set(m.labels());
    setOrRemove(prequentialAucRoc, "learner", m.learnerAucRoc());
    setOrRemove(prequentialAucRoc, "champion", m.championAucRoc());
    setOrRemove(prequentialAveragePrecision, "learner", m.learnerAveragePrecision());
    setOrRemove(prequentialAveragePrecision, "champion", m.championAveragePrecision());
  }

  private static void setOrRemove(Gauge gauge, String label, OptionalDouble value) {
    if (value.isPresent()) {
      gauge.labelValues(label).set(value.getAsDouble());
    } else {
      gauge.remove(label);
    }
  }

  /** The drift monitor measured an hour of the model scoring now ({@code DriftHook}). */
  public synchronized void recordDrift(
      long modelVersion,
      Instant hour,
      List<DriftWindow.Value> values,
      Predicate<DriftWindow.Value> reported) {
    driftHour.set(hour.getEpochSecond());
    for (DriftWindow.Value v : values) {
      boolean above = reported.test(v);
      if (above && driftAboveThreshold.labelValues(v.variable()).get() == 0) {
        driftCrossings.labelValues(v.variable()).inc();
      }
      driftPsi.labelValues(v.variable()).set(v.psi());
      driftAboveThreshold.labelValues(v.variable()).set(above ? 1 : 0);
    }
  }

  /**
   * A partition check of the driver: how many partitions it created and how many rows wait in
   * DEFAULT.
   */
  public void recordPartitionCheck(int created, long rowsInDefault) {
    partitionsCreated.inc(created);
    defaultPartitionWaiting.set(rowsInDefault);
  }

  public void recordPartitionCheckFailed() {
    partitionMaintenanceFailures.inc();
  }

  public void recordLateForSessions(long transactions) {
    lateForSessions.inc(transactions);
  }

  /**
   * The score histogram, fed with the executors' {@link ScoreTally} buckets rather than one score
   * at a time.
   */
  private static final class ScoreHistogram implements Collector {
    private final Map<String, ScoreTally> byModel = new ConcurrentHashMap<>();

    synchronized void add(String model, ScoreTally tally) {
      if (tally.count() > 0) {
        byModel.computeIfAbsent(model, m -> new ScoreTally()).addAll(tally);
      }
    }

    @Override
    public synchronized MetricSnapshot collect() {
      double[] bounds = new double[ScoreTally.UPPER_BOUNDS.length + 1];
      System.arraycopy(ScoreTally.UPPER_BOUNDS, 0, bounds, 0, ScoreTally.UPPER_BOUNDS.length);
      bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
      HistogramSnapshot.Builder b =
          HistogramSnapshot.builder()
              .name("fraudwatch_score")
              .help(
                  "Fraud scores (probabilities, 0..1) given to transactions, by the champion and the challenger");
      byModel.forEach(
          (model, tally) ->
              b.dataPoint(
                  HistogramSnapshot.HistogramDataPointSnapshot.builder()
                      .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, tally.counts()))
                      .sum(tally.sum())
                      .labels(Labels.of("model", model))
                      .build()));
      return b.build();
    }

    @Override
    public String getPrometheusName() {
      return "fraudwatch_score";
    }
  }
}
