package io.fraudwatch.app.backtest;

import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.models.metrics.KnownCompromisedCards;
import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a backtest measured, from the job's scored rows and the input's truth: the champion's scores
 * (column {@code score}: whichever version was champion when the transaction was scored, as
 * production alerts) and the challenger's ({@code challenger_score}, where one ran) and the static
 * bootstrap model's (its score of the stored features, as if it had stayed champion) assessed on
 * the test window as the handbook does, without the transactions of cards already known
 * compromised; and, over all replayed days, the alert volume and which versions scored (hour by
 * hour, and each version's period as champion and as challenger).
 *
 * @param transactionsScored scored transactions in the test window, before the known-compromised
 *     cards are removed
 * @param knownCompromisedRemoved of which left out: their cards were known compromised that day
 * @param notScored replayed transactions without a scored row (dead-lettered by the job)
 */
public record BacktestResult(
    BacktestPlan plan,
    int k,
    long transactionsReplayed,
    long transactionsScored,
    long knownCompromisedRemoved,
    long notScored,
    WindowEvaluation champion,
    Optional<Challenger> challenger,
    WindowEvaluation staticModel,
    List<DayActivity> activity,
    List<VersionHour> versions,
    PromotionTimeline timeline) {

  /**
   * The challenger's assessment over the test-window transactions it scored.
   *
   * @param transactionsScored test-window transactions with a challenger score, known-compromised
   *     cards included
   */
  public record Challenger(long transactionsScored, WindowEvaluation evaluation) {}

  /**
   * One replayed day: transactions scored, alerts raised, frauds among the transactions (the
   * truth).
   */
  public record DayActivity(LocalDate day, long transactions, long alerts, long frauds) {}

  /** One hour of event time: the highest champion and challenger versions that scored in it. */
  public record VersionHour(Instant hour, long champion, OptionalLong challenger) {}

  public BacktestResult {
    activity = List.copyOf(activity);
    versions = List.copyOf(versions);
  }

  /**
   * @param replayed every transaction replayed, with its truth
   * @param scored the job's rows for the replayed period
   * @throws IllegalStateException when a scored row is not among the replayed transactions
   */
  public static BacktestResult of(
      BacktestPlan plan,
      int k,
      List<ReplayTransaction> replayed,
      List<ScoredRow> scored,
      KnownCompromisedCards known) {
    Map<String, ReplayTransaction> truth = new HashMap<>(replayed.size() * 2);
    replayed.forEach(t -> truth.put(t.transactionId(), t));
    List<ScoredOutcome> champion = new ArrayList<>();
    List<ScoredOutcome> challenger = new ArrayList<>();
    List<ScoredOutcome> staticModel = new ArrayList<>();
    TreeMap<LocalDate, long[]> activity = new TreeMap<>();
    TreeMap<Instant, long[]> versions = new TreeMap<>();
    PromotionTimeline.Builder timeline = new PromotionTimeline.Builder();
    long testScored = 0;
    long challengerScored = 0;
    for (ScoredRow row : scored) {
      ReplayTransaction t = truth.get(row.transactionId());
      if (t == null) {
        throw new IllegalStateException(
            "scored transaction "
                + row.transactionId()
                + " at "
                + row.eventTime()
                + " was not replayed by this backtest: the database is not a fresh sandbox");
      }
      LocalDate day = LocalDate.ofInstant(row.eventTime(), ZoneOffset.UTC);
      long[] a = activity.computeIfAbsent(day, d -> new long[3]);
      a[0]++;
      a[1] += row.alert() ? 1 : 0;
      a[2] += t.fraud() ? 1 : 0;
      timeline.add(row);
      long[] v =
          versions.computeIfAbsent(
              row.eventTime().truncatedTo(ChronoUnit.HOURS), h -> new long[] {0, -1});
      v[0] = Math.max(v[0], row.modelVersion());
      v[1] = Math.max(v[1], row.challengerVersion().orElse(-1));
      if (!day.isBefore(plan.testFrom()) && !day.isAfter(plan.testTo())) {
        testScored++;
        challengerScored += row.challengerScore().isPresent() ? 1 : 0;
        champion.add(new ScoredOutcome(t.customerId(), day, row.score(), t.fraud()));
        staticModel.add(new ScoredOutcome(t.customerId(), day, row.staticScore(), t.fraud()));
        row.challengerScore()
            .ifPresent(s -> challenger.add(new ScoredOutcome(t.customerId(), day, s, t.fraud())));
      }
    }
    List<DayActivity> days = new ArrayList<>();
    activity.forEach((day, a) -> days.add(new DayActivity(day, a[0], a[1], a[2])));
    List<VersionHour> hours = new ArrayList<>();
    versions.forEach(
        (hour, v) ->
            hours.add(
                new VersionHour(
                    hour, v[0], v[1] < 0 ? OptionalLong.empty() : OptionalLong.of(v[1]))));
    List<ScoredOutcome> assessedChampion = known.remove(champion);
    List<ScoredOutcome> assessedChallenger = known.remove(challenger);
    Optional<Challenger> challengerResult =
        assessedChallenger.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new Challenger(
                    challengerScored,
                    WindowEvaluation.of(assessedChallenger, plan.testFrom(), plan.testTo(), k)));
    return new BacktestResult(
        plan,
        k,
        replayed.size(),
        testScored,
        testScored - assessedChampion.size(),
        replayed.size() - scored.size(),
        WindowEvaluation.of(assessedChampion, plan.testFrom(), plan.testTo(), k),
        challengerResult,
        WindowEvaluation.of(known.remove(staticModel), plan.testFrom(), plan.testTo(), k),
        days,
        hours,
        timeline.build());
  }
}
