package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.Settings;
import io.fraudwatch.models.online.PromotionPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScoringConfigTest {
  private static final String PID_MIN_RATE = "spark.streaming.backpressure.pid.minRate";

  private static ScoringConfig load(Map<String, String> flags) {
    return ScoringConfig.from(Settings.load(ScoringConfig.KEYS, Optional.empty(), Map.of(), flags));
  }

  @Test
  void defaultsRunLocallyWithRetriesAndOneSecondBatches() {
    ScoringConfig c = load(Map.of());

    assertThat(c.sparkMaster()).isEqualTo("local[*,4]");
    assertThat(c.batchInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.labelDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(c.maxRatePerPartition()).isZero();
    assertThat(c.backpressure()).isTrue();
    assertThat(c.outageTolerance()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void backpressureFloorsAtAThousandRecordsASecondInTheDriversSparkConf() {
    assertThat(ScoringJobRunner.sparkConf(load(Map.of())).get(PID_MIN_RATE)).isEqualTo("1000");
    assertThat(
            ScoringJobRunner.sparkConf(load(Map.of("job.backpressure-min-rate", "250")))
                .get(PID_MIN_RATE))
        .isEqualTo("250");
    assertThat(
            ScoringJobRunner.sparkConf(load(Map.of("job.backpressure", "false")))
                .contains(PID_MIN_RATE))
        .as("no floor without backpressure")
        .isFalse();
    // Spark's PIDRateEstimator requires a positive floor
    assertThatThrownBy(() -> load(Map.of("job.backpressure-min-rate", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.backpressure-min-rate");
  }

  @Test
  void anOutageToleranceBelowASecondIsRefused() {
    assertThatThrownBy(() -> load(Map.of("job.outage-tolerance", "500ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.outage-tolerance: must be at least 1s");
    assertThat(load(Map.of("job.outage-tolerance", "45s")).outageTolerance())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void tooShortBatchesAndNoLabelDelayAreRefused() {
    assertThatThrownBy(() -> load(Map.of("job.batch-interval", "10ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.batch-interval: must be at least 100ms");
    assertThatThrownBy(() -> load(Map.of("features.label-delay", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("features.label-delay");
  }

  @Test
  void learningIsOnByDefaultWithAutoOversamplingAndAPromotionPolicy() {
    LearningConfig l = load(Map.of()).learning();

    assertThat(l.enabled()).isTrue();
    assertThat(l.fraudOversampling()).as("0 = from the starting version").isZero();
    assertThat(l.versionEvery()).isEqualTo(Duration.ofMinutes(5));
    assertThat(l.convergenceTol())
        .as("every iteration runs: MLlib's 0.001 stopped the learner after a step")
        .isZero();
    assertThat(l.promotion().autoPromote()).isTrue();
    assertThat(l.promotion().maxFraudRate()).isEqualTo(0.2);
    assertThat(l.promotion().rule()).isEqualTo(PromotionPolicy.Rule.AP_LED);
    assertThat(load(Map.of("promotion.rule", "both")).learning().promotion().rule())
        .isEqualTo(PromotionPolicy.Rule.BOTH);
    assertThat(l.maxFraudRateRatio()).isEqualTo(2);
    assertThat(l.refitEvery())
        .as("a restart from a batch fit every day")
        .isEqualTo(Duration.ofDays(1));
    assertThat(l.refitWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(
            load(Map.of("promotion.margin", "0", "learning.reg-param", "0"))
                .learning()
                .promotion()
                .margin())
        .isZero();
  }

  @Test
  void aLearnerThatWouldNeverStoreAVersionOrBadNumbersAreRefused() {
    assertThatThrownBy(
            () ->
                load(Map.of("learning.version-every", "0", "learning.version-every-batches", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("learning.version-every");
    assertThatThrownBy(() -> load(Map.of("learning.step-size", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("learning.step-size");
    assertThatThrownBy(() -> load(Map.of("promotion.margin", "-0.1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("promotion.margin");
    assertThatThrownBy(() -> load(Map.of("promotion.max-fraud-rate", "1.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("promotion.max-fraud-rate");
    assertThatThrownBy(() -> load(Map.of("promotion.rule", "auc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "promotion.rule: promotion rule must be one of both, ap-led; got 'auc'");
  }

  @Test
  void refitsTakeAnIntervalAndAPositiveWindow() {
    LearningConfig l =
        load(Map.of("learning.refit-every", "12h", "learning.refit-window", "3d")).learning();

    assertThat(l.refitEvery()).isEqualTo(Duration.ofHours(12));
    assertThat(load(Map.of("learning.refit-every", "0")).learning().refitEvery()).isZero();
    assertThat(l.refitWindow()).isEqualTo(Duration.ofDays(3));
    assertThat(l.refitMaxLabels()).isEqualTo(200_000);
    assertThatThrownBy(() -> load(Map.of("learning.refit-window", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("learning.refit-window");
    assertThatThrownBy(() -> load(Map.of("learning.refit-every", "-1d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("learning.refit-every");
  }

  @Test
  void consumerGroupNamesTheCluster() {
    JobSettings s =
        new JobSettings(
            "scorer",
            "jdbc:postgresql://db/x",
            "u",
            new SecretFile("/run/secrets/pw"),
            2,
            "k1:9092,k2:9092",
            null,
            Duration.ofSeconds(60),
            Duration.ofDays(7),
            KafkaClientSecurity.PLAINTEXT,
            JobSettings.JdbcTls.DRIVER_DEFAULT,
            Duration.ofMinutes(10),
            "",
            Duration.ofHours(1));

    assertThat(ScoringJobRunner.kafkaGroupId(s)).isEqualTo("scorer@k1:9092");
  }

  @Test
  void driftIsMeasuredOverADayWithTheConventionalThresholdAndTheWeekendFlagExempt() {
    DriftConfig d = load(Map.of()).drift();

    assertThat(d.enabled()).isTrue();
    assertThat(d.threshold()).isEqualTo(0.2);
    assertThat(d.window()).isEqualTo(Duration.ofHours(24));
    assertThat(d.exemptFeatures()).containsExactly("TX_DURING_WEEKEND");
    assertThat(d.minTransactions()).isEqualTo(200);
    assertThat(d.reported("TX_AMOUNT", 0.21, 200)).isTrue();
    assertThat(d.reported("TX_AMOUNT", 0.2, 200)).isFalse();
    assertThat(d.reported("TX_AMOUNT", 0.9, 199)).isFalse();
    assertThat(d.reported("TX_DURING_WEEKEND", 5, 10_000)).isFalse();
    assertThat(load(Map.of("drift.exempt-features", " A, B ,,")).drift().exemptFeatures())
        .containsExactlyInAnyOrder("A", "B");
    assertThat(load(Map.of("drift.exempt-features", "")).drift().exemptFeatures()).isEmpty();
  }

  @Test
  void aDriftWindowOfPartHoursIsRefused() {
    assertThatThrownBy(() -> load(Map.of("drift.window", "90m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("drift.window: must be a whole number of hours");
    assertThatThrownBy(() -> load(Map.of("drift.window", "30m")))
        .isInstanceOf(ConfigException.class);
    assertThat(load(Map.of("drift.window", "1h")).drift().window()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void sessionsAndWindowsAreOffUnlessAskedForWithAHalfHourGapAndCheckpointsEveryTenSeconds() {
    StreamStateConfig c = load(Map.of()).streamState();

    assertThat(c.enabled()).isFalse();
    assertThat(c.sessionGap()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.checkpointPath()).isEqualTo("work/checkpoint");
  }

  @Test
  void withTheStateOnACheckpointIntervalOffTheBatchGridOrWindowsOffItAreRefused() {
    Map<String, String> on = Map.of("stream-state.enabled", "true");
    assertThatThrownBy(() -> load(with(on, "checkpoint.interval", "2500ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("checkpoint.interval: must be a positive multiple");
    assertThatThrownBy(
            () -> load(with(with(on, "job.batch-interval", "7s"), "checkpoint.interval", "7s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("activity windows");
    assertThatThrownBy(() -> load(with(on, "sessions.gap", "100ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sessions.gap");
    assertThat(load(on).streamState().enabled()).isTrue();
  }

  @Test
  void withTheStateOffItsSettingsConstrainNoBatchInterval() {
    assertThat(load(Map.of("job.batch-interval", "3s")).batchInterval())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(load(Map.of("job.batch-interval", "1500ms")).streamState().enabled()).isFalse();
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
