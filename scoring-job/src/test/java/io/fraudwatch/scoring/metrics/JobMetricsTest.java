package io.fraudwatch.scoring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.models.online.PrequentialWindow;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

  private static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");

  private static String scrape(JobMetrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static PartitionMetrics partition(
      String executor, long failures, Instant snapshotAt, double... scores) {
    PartitionMetrics m = new PartitionMetrics();
    for (double s : scores) {
      m.scored(s, null);
    }
    m.deadLetter("TRUNCATED");
    m.deadLetter("INVALID");
    m.deadLetter("INVALID");
    m.postgresTransaction(Duration.ofMillis(30).toNanos(), 1);
    m.history(new PartitionMetrics.History(executor, snapshotAt, failures));
    return m;
  }

  @Test
  void theLabelsTopicsDeadLettersCountWithTheTransactionsAndNotAsLabels() throws IOException {
    JobMetrics metrics = new JobMetrics(Clock.fixed(NOW, ZoneOffset.UTC));

    metrics.recordTransactionPartition(3, 0, partition("a", 0, NOW));
    metrics.recordLabels(4, Map.of("INVALID", 2L, "NOT_SINGLE_OBJECT", 1L));

    assertThat(scrape(metrics))
        .contains("fraudwatch_labels_total 4.0")
        .contains("fraudwatch_dead_letters_total{reason=\"INVALID\"} 4.0")
        .contains("fraudwatch_dead_letters_total{reason=\"NOT_SINGLE_OBJECT\"} 1.0");
  }

  @Test
  void partitionsOfABatchAddUpIntoCountersHistogramsAndTheSnapshotAge() throws IOException {
    JobMetrics metrics = new JobMetrics(Clock.fixed(NOW, ZoneOffset.UTC));

    metrics.recordTransactionPartition(
        3, 1, partition("a", 2, NOW.minusSeconds(40), 0.0005, 0.3, 0.97));
    metrics.recordTransactionPartition(2, 0, partition("b", 0, NOW.minusSeconds(10), 0.01, 0.02));
    // the same executor again: only its new failure counts
    metrics.recordTransactionPartition(0, 0, partition("a", 3, NOW.minusSeconds(40)));

    String text = scrape(metrics);
    assertThat(text)
        .contains("fraudwatch_transactions_scored_total 5.0")
        .contains("fraudwatch_alerts_total 1.0")
        .contains("fraudwatch_dead_letters_total{reason=\"INVALID\"} 6.0")
        .contains("fraudwatch_dead_letters_total{reason=\"TRUNCATED\"} 3.0")
        .contains("fraudwatch_default_partition_rows_total 3.0")
        .contains("fraudwatch_postgres_commit_seconds_count 3")
        .contains("fraudwatch_postgres_commit_seconds_bucket{le=\"0.05\"} 3")
        .contains("fraudwatch_history_refresh_failures_total 3.0")
        .contains("fraudwatch_history_snapshot_age_seconds 40.0")
        // cumulative buckets: 0.0005 <= 0.001; 0.01 and 0.02 by 0.02; 0.3 by 0.3; 0.97 by 0.99
        .contains("fraudwatch_score_bucket{model=\"champion\",le=\"0.001\"} 1")
        .contains("fraudwatch_score_bucket{model=\"champion\",le=\"0.02\"} 3")
        .contains("fraudwatch_score_bucket{model=\"champion\",le=\"0.3\"} 4")
        .contains("fraudwatch_score_bucket{model=\"champion\",le=\"0.95\"} 4")
        .contains("fraudwatch_score_bucket{model=\"champion\",le=\"+Inf\"} 5")
        .contains("fraudwatch_score_count{model=\"champion\"} 5")
        .doesNotContain("model=\"challenger\"")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void lagModelVersionsBatchTimesAndThePrequentialWindow() throws IOException {
    JobMetrics metrics = new JobMetrics(Clock.fixed(NOW, ZoneOffset.UTC));

    metrics.recordLag("fraud.transactions", Map.of(0, 100L, 1, 50L), Map.of(0, 130L, 1, 50L));
    metrics.recordModels(7, 9L);
    metrics.recordBatch(Duration.ofMillis(800), Duration.ofMillis(3000));
    metrics.recordLatestEventTime(Instant.parse("2018-08-01T00:00:00Z"));
    metrics.recordPrequential(
        new PrequentialWindow.Metrics(
            2000,
            30,
            OptionalDouble.of(0.91),
            OptionalDouble.of(0.6),
            OptionalDouble.of(0.9),
            OptionalDouble.of(0.55)));
    String first = scrape(metrics);
    metrics.recordModels(9, null);
    metrics.recordPrequential(
        new PrequentialWindow.Metrics(
            0,
            0,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty()));
    String second = scrape(metrics);

    assertThat(first)
        .contains(
            "fraudwatch_consumer_lag_records{partition=\"0\",topic=\"fraud.transactions\"} 30.0")
        .contains(
            "fraudwatch_consumer_lag_records{partition=\"1\",topic=\"fraud.transactions\"} 0.0")
        .contains("fraudwatch_model_version{slot=\"champion\"} 7.0")
        .contains("fraudwatch_model_version{slot=\"challenger\"} 9.0")
        .contains("fraudwatch_batch_processing_seconds_bucket{le=\"1.0\"} 1")
        .contains("fraudwatch_batch_processing_seconds_bucket{le=\"0.5\"} 0")
        .contains("fraudwatch_batch_scheduling_delay_seconds_bucket{le=\"2.0\"} 0")
        .contains("fraudwatch_last_batch_completed_timestamp_seconds 1.7676144E9")
        .contains("fraudwatch_latest_event_timestamp_seconds 1.5330816E9")
        .contains("fraudwatch_prequential_auc_roc{model=\"learner\"} 0.91")
        .contains("fraudwatch_prequential_average_precision{model=\"champion\"} 0.55")
        .contains("fraudwatch_prequential_window_labels 2000.0");
    assertThat(second)
        .contains("fraudwatch_model_version{slot=\"champion\"} 9.0")
        .doesNotContain("slot=\"challenger\"")
        .doesNotContain("fraudwatch_prequential_auc_roc{")
        .contains("fraudwatch_prequential_window_labels 0.0");
  }

  @Test
  void anExecutorThatStoppedReportingNoLongerAgesTheSnapshot() throws IOException {
    MutableClock clock = new MutableClock(NOW);
    JobMetrics metrics = new JobMetrics(clock);
    metrics.recordTransactionPartition(1, 0, partition("gone", 0, NOW.minusSeconds(300)));
    clock.now = NOW.plus(JobMetrics.EXECUTOR_STALE_AFTER).plusSeconds(1);
    metrics.recordTransactionPartition(1, 0, partition("alive", 0, clock.now.minusSeconds(5)));

    assertThat(scrape(metrics)).contains("fraudwatch_history_snapshot_age_seconds 5.0");
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
