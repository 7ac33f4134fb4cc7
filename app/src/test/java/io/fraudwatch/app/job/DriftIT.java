package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.models.drift.TrainingDistribution;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift monitoring in the running job: a champion stored without a training distribution gets one
 * from the feature history of its training window, and the drift table shows the amount and the
 * score drifting on the day the amounts triple, and not before.
 */
class DriftIT {
  private static final Instant START = Instant.parse("2018-04-01T00:00:00Z");
  private static final Instant SHIFT = START.plus(Duration.ofDays(3));

  @TempDir Path workDir;

  @Test
  @Timeout(600)
  void theDayTheAmountsTripleDriftsTheAmountAndTheScore() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup
      long v1 = f.amountModel(200);
      List<SimulatedTransaction> txs = firstTwoDaysScored(f, v1, 4, 5);
      assertThat(f.models.distribution(v1)).isEmpty();

      // act: the rest, the last day with three times the amounts, with drift monitoring
      Instant lastHour =
          streamTheRest(
              f,
              txs,
              t -> t.eventTime().isBefore(SHIFT) ? 1 : 3,
              Map.of("drift.window", "24h", "drift.lateness", "0s"));

      // verify: the distribution came from the history of the training window
      TrainingDistribution d = f.models.distribution(v1).orElseThrow();
      assertThat(d.source()).contains("feature history of the training window");
      // JobFixture's hand-made versions say they were trained on
      // 2018-04-01T00:00Z..2018-04-02T00:00Z
      assertThat(d.rows())
          .isEqualTo(
              txs.stream()
                  .filter(t -> !t.eventTime().isAfter(Instant.parse("2018-04-02T00:00:00Z")))
                  .count());
      // every hour from the first is measured, by v1, over the 24 h up to it
      assertThat(
              f.count(
                  "select count(distinct hour) from fraudwatch.drift where model_version = " + v1))
          .isGreaterThanOrEqualTo(3 * 24 + 20);
      assertThat(f.count("select count(*) from fraudwatch.drift where window_hours <> 24"))
          .isZero();
      // the day before the shift is like the training days; the shifted day is not (the last hours
      // with
      // transactions before the shift and of the stream: an hour without any has no row)
      Instant beforeShift = lastMeasured(f, SHIFT);
      Instant shifted = lastMeasured(f, lastHour);
      assertThat(Duration.between(beforeShift, SHIFT)).isLessThan(Duration.ofHours(6));
      assertThat(Duration.between(shifted, lastHour)).isLessThan(Duration.ofHours(6));
      assertThat(psi(f, "TX_AMOUNT", beforeShift)).isLessThan(0.1);
      assertThat(psi(f, "score", beforeShift)).isLessThan(0.1);
      assertThat(psi(f, "TX_AMOUNT", shifted)).isGreaterThan(0.5);
      assertThat(psi(f, "score", shifted)).isGreaterThan(0.2);
      assertThat(psi(f, "TX_DURING_NIGHT", shifted)).isLessThan(0.1);
    }
  }

  @Test
  @Timeout(600)
  void busyHoursAreReadAsASampleThatCountsForTheWholeHour() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup
      List<SimulatedTransaction> txs = firstTwoDaysScored(f, f.amountModel(200), 3, 6);

      // act: the last day, with drift monitored hour by hour reading about 4 transactions an hour
      // (the busy hours hold 10 to 30)
      streamTheRest(
          f,
          txs,
          t -> 1,
          Map.of("drift.window", "1h", "drift.lateness", "0s", "drift.rows-per-hour", "4"));

      // verify: each measured hour's transactions, as the drift table gives them, against the
      // hour's scored rows
      List<long[]> hours =
          f.query(
              "select d.transactions, (select count(*) from fraudwatch.scored_transactions s"
                  + " where s.event_time >= d.hour and s.event_time < d.hour + interval '1 hour')"
                  + " from fraudwatch.drift d where d.feature = 'score'",
              rs -> new long[] {rs.getLong(1), rs.getLong(2)});
      assertThat(hours).hasSizeGreaterThan(48);
      long estimated = hours.stream().mapToLong(h -> h[0]).sum();
      long scored = hours.stream().mapToLong(h -> h[1]).sum();
      // sampled: most busy hours' counts are estimates, off the true count
      assertThat(hours.stream().filter(h -> h[1] > 8 && h[0] != h[1]).count())
          .isGreaterThan(hours.stream().filter(h -> h[1] > 8).count() / 2);
      // and over all hours they add up to about the transactions scored
      assertThat((double) estimated)
          .isCloseTo(scored, org.assertj.core.data.Percentage.withPercentage(25));
    }
  }

  /**
   * Promotes {@code champion} (hand-made: trained on 2018-04-01..02, no distribution stored) and
   * scores the first two of a simulation's {@code days} without drift monitoring, so that its
   * training window's history is complete before the monitor needs it; returns all the simulation's
   * transactions.
   */
  private static List<SimulatedTransaction> firstTwoDaysScored(
      JobFixture f, long champion, int days, long seed) throws Exception {
    f.promote(champion, "first");
    List<SimulatedTransaction> txs =
        Simulation.create(
                SimulationParameters.builder()
                    .customers(150)
                    .terminals(300)
                    .days(days)
                    .seed(seed)
                    .build())
            .transactions()
            .toList();
    List<SimulatedTransaction> firstDays =
        txs.stream().filter(t -> t.eventTime().isBefore(START.plus(Duration.ofDays(2)))).toList();
    firstDays.forEach(t -> send(f, t, 1));
    f.flush();
    ScoringJobRunner first = f.startJob(Map.of("drift.enabled", "false"));
    await().atMost(Duration.ofMinutes(3)).until(() -> scored(f) == firstDays.size());
    first.stop(true);
    return txs;
  }

  /**
   * Streams the transactions after the first two days, their amounts times {@code amountFactor}, to
   * a job with the {@code drift} settings; waits until they are scored and the hour before the last
   * is measured, and returns the last hour.
   */
  private static Instant streamTheRest(
      JobFixture f,
      List<SimulatedTransaction> txs,
      java.util.function.ToDoubleFunction<SimulatedTransaction> amountFactor,
      Map<String, String> drift)
      throws Exception {
    txs.stream()
        .filter(t -> !t.eventTime().isBefore(START.plus(Duration.ofDays(2))))
        .forEach(t -> send(f, t, amountFactor.applyAsDouble(t)));
    f.flush();
    f.startJob(drift);
    await().atMost(Duration.ofMinutes(3)).until(() -> scored(f) == txs.size());
    Instant lastHour =
        txs.get(txs.size() - 1).eventTime().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                f.count(
                        "select count(*) from fraudwatch.drift where hour = '"
                            + lastHour.minus(Duration.ofHours(1))
                            + "' and feature = 'score'")
                    == 1);
    return lastHour;
  }

  private static void send(JobFixture f, SimulatedTransaction t, double amountFactor) {
    f.sendTransaction(
        Long.toString(t.transactionId()),
        t.eventTime(),
        "C" + t.customerId(),
        "T" + t.terminalId(),
        Math.round(t.amount() * amountFactor * 100) / 100.0);
  }

  private static long scored(JobFixture f) throws Exception {
    return f.count("select count(*) from fraudwatch.scored_transactions");
  }

  /** The latest measured hour before {@code before}. */
  private static Instant lastMeasured(JobFixture f, Instant before) throws Exception {
    return f.query(
            "select max(hour) from fraudwatch.drift where feature = 'score' and hour < '"
                + before
                + "'",
            rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
        .get(0);
  }

  private static double psi(JobFixture f, String feature, Instant hour) throws Exception {
    List<Double> v =
        f.query(
            "select psi from fraudwatch.drift where feature = '"
                + feature
                + "' and hour = '"
                + hour
                + "'",
            rs -> rs.getDouble(1));
    assertThat(v).as("PSI of %s at %s", feature, hour).hasSize(1);
    return v.get(0);
  }
}
