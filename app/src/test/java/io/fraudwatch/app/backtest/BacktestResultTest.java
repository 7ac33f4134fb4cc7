package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fraudwatch.app.ReportMaps;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.models.Slot;
import io.fraudwatch.models.SlotChange;
import io.fraudwatch.models.metrics.KnownCompromisedCards;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BacktestResultTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final BacktestPlan PLAN =
      BacktestPlan.of(
          Optional.of(LocalDate.of(2018, 8, 8)),
          Optional.of(LocalDate.of(2018, 8, 9)),
          Optional.empty(),
          Optional.empty(),
          WEEK,
          LocalDate.of(2018, 8, 31),
          Optional.empty());

  private static ReplayTransaction tx(String id, String time, String card, boolean fraud) {
    return new ReplayTransaction(id, Instant.parse(time), card, "t", 10, fraud);
  }

  /**
   * A stored row; the static model scores it the other way round (1 - score), so that its figures
   * differ.
   */
  private static ScoredRow scored(
      ReplayTransaction t, double score, long version, Double challenger, boolean alert) {
    return new ScoredRow(
        t.transactionId(),
        t.eventTime(),
        score,
        version,
        challenger == null ? OptionalDouble.empty() : OptionalDouble.of(challenger),
        challenger == null ? OptionalLong.empty() : OptionalLong.of(2),
        alert,
        1 - score);
  }

  // a delay-week day, two test days; card "k" had a fraud on 08-01 (known from 08-09)
  private final ReplayTransaction early = tx("1", "2018-08-01T10:00:00Z", "k", true);
  private final ReplayTransaction a8 = tx("2", "2018-08-08T09:00:00Z", "a", true);
  private final ReplayTransaction b8 = tx("3", "2018-08-08T10:00:00Z", "b", false);
  private final ReplayTransaction k8 = tx("4", "2018-08-08T11:00:00Z", "k", false);
  private final ReplayTransaction k9 = tx("5", "2018-08-09T09:00:00Z", "k", true);
  private final ReplayTransaction c9 = tx("6", "2018-08-09T10:00:00Z", "c", false);
  private final ReplayTransaction d9 = tx("7", "2018-08-09T11:00:00Z", "d", true);
  private final List<ReplayTransaction> replayed = List.of(early, a8, b8, k8, k9, c9, d9);

  private KnownCompromisedCards known() {
    KnownCompromisedCards.Builder b =
        new KnownCompromisedCards.Builder(PLAN.knownCompromisedFrom(), WEEK);
    replayed.forEach(t -> b.add(t.customerId(), t.eventTime(), t.fraud()));
    return b.build();
  }

  @Test
  void assessesTheTestWindowWithoutKnownCompromisedCardsAndCountsEveryReplayedDay() {
    List<ScoredRow> rows =
        List.of(
            scored(early, 0.9, 1, null, true),
            scored(a8, 0.8, 1, null, true),
            scored(b8, 0.2, 1, null, false),
            scored(k8, 0.1, 1, null, false),
            scored(k9, 0.99, 2, 0.5, true),
            scored(c9, 0.3, 2, 0.7, false),
            scored(d9, 0.6, 2, 0.2, false));

    BacktestResult r = BacktestResult.of(PLAN, 1, replayed, rows, known());

    // 08-08: a, b, k (k not known yet); 08-09: k is known (its 08-01 fraud), so c and d only
    assertThat(r.transactionsScored()).isEqualTo(6);
    assertThat(r.knownCompromisedRemoved()).isEqualTo(1);
    assertThat(r.champion().transactions()).isEqualTo(5);
    // frauds a 0.8, d 0.6 vs genuine b 0.2, k 0.1, c 0.3: all pairs right
    assertThat(r.champion().aucRoc()).hasValue(1.0);
    // CP@1: 08-08 a (fraud) 1.0; 08-09 d 0.6 > c 0.3 -> 1.0
    assertThat(r.champion().cardPrecisionAtK()).hasValue(1.0);
    BacktestResult.Challenger challenger = r.challenger().orElseThrow();
    assertThat(challenger.transactionsScored()).isEqualTo(3);
    assertThat(challenger.evaluation().transactions())
        .isEqualTo(2); // c 0.7, d 0.2: one pair, wrong
    assertThat(challenger.evaluation().aucRoc()).hasValue(0.0);
    // the static model is assessed on the same transactions as the champion, with its own scores:
    // all pairs wrong
    assertThat(r.staticModel().transactions()).isEqualTo(5);
    assertThat(r.staticModel().aucRoc()).hasValue(0.0);
    assertThat(r.activity())
        .containsExactly(
            new BacktestResult.DayActivity(LocalDate.of(2018, 8, 1), 1, 1, 1),
            new BacktestResult.DayActivity(LocalDate.of(2018, 8, 8), 3, 1, 1),
            new BacktestResult.DayActivity(LocalDate.of(2018, 8, 9), 3, 1, 2));
    assertThat(r.versions())
        .extracting(BacktestResult.VersionHour::champion)
        .containsExactly(1L, 1L, 1L, 1L, 2L, 2L, 2L);
    assertThat(r.notScored()).isZero();
  }

  @Test
  void aScoredRowThatWasNotReplayedMeansTheDatabaseIsNotASandbox() {
    ReplayTransaction stranger = tx("99", "2018-08-08T12:00:00Z", "z", false);

    assertThatThrownBy(
            () ->
                BacktestResult.of(
                    PLAN, 1, replayed, List.of(scored(stranger, 0.1, 1, null, false)), known()))
        .hasMessageContaining("scored transaction 99")
        .hasMessageContaining("not a fresh sandbox");
  }

  @Test
  void theReportHasTheRequiredFieldsAndTheComparisonTable() {
    List<ScoredRow> rows =
        List.of(
            scored(early, 0.9, 1, null, true),
            scored(a8, 0.8, 1, null, true),
            scored(b8, 0.2, 1, null, false),
            scored(k8, 0.1, 1, null, false),
            scored(k9, 0.99, 2, 0.5, true),
            scored(c9, 0.3, 2, 0.7, false),
            scored(d9, 0.6, 2, 0.2, false));
    BacktestReport report =
        new BacktestReport(
            BacktestResult.of(PLAN, 1, replayed, rows.subList(0, 6), known()),
            List.of(Path.of("a.csv")),
            7,
            0,
            1,
            OptionalDouble.of(0.9),
            100,
            2.0,
            Map.of("total", 30.0),
            List.of(
                new ModelVersionLine(1, "batch", "", Map.of("validation.auc_roc", 0.9)),
                new ModelVersionLine(
                    2, "online", "champion", Map.of("online.labels_learned", 500.0))),
            List.of(
                change(1, SlotChange.Action.PROMOTE, null, 1, "backtest", "bootstrap"),
                change(2, SlotChange.Action.PROMOTE, 1L, 2, "online-learner", "auto: AUC | AP")),
            Map.of("k", 1),
            Optional.of(LocalDate.of(2018, 8, 9)));

    Map<String, Object> json = ReportMaps.asWritten(report.json());

    assertThat(json)
        .containsKeys(
            "auc_roc",
            "average_precision",
            "card_precision_at_1",
            "transactions",
            "events_per_second",
            "test_from",
            "test_to",
            "per_day",
            "challenger",
            "model_versions",
            "published");
    assertThat(json.get("transactions_not_scored")).isEqualTo(1L);
    assertThat(json.get("drift_start_day")).isEqualTo("2018-08-09");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) json.get("models");
    assertThat(models).containsOnlyKeys("static", "alerted", "learner");
    assertThat(models.get("alerted"))
        .containsKeys(
            "auc_roc",
            "average_precision",
            "card_precision_at_1",
            "per_day",
            "pre_drift_average_precision",
            "recovery_days");
    assertThat(models.get("static").get("per_day")).asList().hasSize(2);
    assertThat(json.get("events_per_second")).isEqualTo(3.5);
    @SuppressWarnings("unchecked")
    Map<String, Object> firstDay = ((List<Map<String, Object>>) json.get("per_day")).get(0);
    assertThat(firstDay)
        .containsKeys(
            "date",
            "transactions_assessed",
            "auc_roc",
            "average_precision",
            "card_precision_at_1",
            "compromised_cards");
    String md = report.markdown(List.of("daily-metrics.png"));
    assertThat(md)
        .contains("| **Fraudwatch champion (this run)** |")
        .contains("| Handbook logistic regression (batch) | 0.871 | 0.606 | 0.291 |")
        .contains("this run's window or delay differs")
        .contains(
            "champion v1 from 2018-08-01T10:00:00Z; champion v2 from 2018-08-09T09:00:00Z;"
                + " challenger v2 from 2018-08-09T09:00:00Z")
        .contains("- v1 batch: validation AUC 0.900\n- v2 online champion: learned 500 labels\n")
        .contains("![daily metrics](daily-metrics.png)")
        .contains(
            "| 2018-08-09T09:00:00Z | promote v1 -> v2 | online-learner | auto: AUC \\| AP |");
    @SuppressWarnings("unchecked")
    Map<String, List<Map<String, Object>>> timeline =
        (Map<String, List<Map<String, Object>>>) json.get("timeline");
    assertThat(timeline.get("champion"))
        .containsExactly(
            Map.of(
                "version",
                1L,
                "from",
                "2018-08-01T10:00:00Z",
                "to",
                "2018-08-08T11:00:00Z",
                "transactions",
                4L),
            Map.of(
                "version",
                2L,
                "from",
                "2018-08-09T09:00:00Z",
                "to",
                "2018-08-09T10:00:00Z",
                "transactions",
                2L));
    assertThat(timeline.get("changes")).hasSize(2);
    assertThat(timeline.get("changes").get(1))
        .containsEntry("action", "promote")
        .containsEntry("from_version", 1L)
        .containsEntry("to_version", 2L)
        .containsEntry("actor", "online-learner")
        .containsEntry("first_scored", "2018-08-09T09:00:00Z");
    assertThat(timeline.get("changes").get(0)).containsEntry("from_version", null);
  }

  @Test
  void theTimelineHasEachVersionsPeriodPerRoleAndPlacesRollbacksWhereTheOldChampionScoredAgain() {
    ReplayTransaction e9 = tx("8", "2018-08-09T12:00:00Z", "e", false);
    List<ScoredRow> rows =
        List.of(
            scored(a8, 0.8, 1, null, true),
            scored(b8, 0.2, 1, 0.3, false),
            scored(k8, 0.1, 2, 0.3, false),
            scored(k9, 0.99, 2, 0.5, true),
            scored(c9, 0.3, 1, null, false),
            scored(e9, 0.3, 1, null, false));

    PromotionTimeline t = BacktestResult.of(PLAN, 1, rowsOf(e9), rows, known()).timeline();
    List<PromotionTimeline.Change> changes =
        t.changes(
            List.of(
                change(1, SlotChange.Action.PROMOTE, null, 1, "backtest", "bootstrap"),
                change(2, SlotChange.Action.PROMOTE, null, 2, "online-learner", "kept"),
                change(3, SlotChange.Action.PROMOTE, 1L, 2, "online-learner", "auto"),
                change(4, SlotChange.Action.ROLLBACK, 2L, 1, "alice", "worse"),
                change(5, SlotChange.Action.PROMOTE, 1L, 3, "bob", "never scored")));

    // v1 alerted before and after v2 (a period each time); the challenger v2 shadow-scored three
    // consecutive transactions
    assertThat(t.champion())
        .extracting(
            PromotionTimeline.Period::version,
            PromotionTimeline.Period::from,
            PromotionTimeline.Period::to,
            PromotionTimeline.Period::transactions)
        .containsExactly(
            tuple(1L, a8.eventTime(), b8.eventTime(), 2L),
            tuple(2L, k8.eventTime(), k9.eventTime(), 2L),
            tuple(1L, c9.eventTime(), e9.eventTime(), 2L));
    assertThat(t.challenger())
        .extracting(PromotionTimeline.Period::from, PromotionTimeline.Period::to)
        .containsExactly(tuple(b8.eventTime(), k9.eventTime()));
    // only the champion slot's changes, oldest first, each where its version took over; a
    // version that never scored has no event time
    assertThat(changes)
        .extracting(PromotionTimeline.Change::describe, c -> c.firstScored().orElse(null))
        .containsExactly(
            tuple("promote v1", a8.eventTime()),
            tuple("promote v1 -> v2", k8.eventTime()),
            tuple("rollback v2 -> v1", c9.eventTime()),
            tuple("promote v1 -> v3", null));
  }

  private List<ReplayTransaction> rowsOf(ReplayTransaction... more) {
    List<ReplayTransaction> all = new java.util.ArrayList<>(replayed);
    all.addAll(List.of(more));
    return all;
  }

  private static SlotChange change(
      long id, SlotChange.Action action, Long from, long to, String actor, String reason) {
    Slot slot = reason.equals("kept") ? Slot.CHALLENGER : Slot.CHAMPION;
    return new SlotChange(
        id,
        "fraud-lr",
        slot,
        action,
        from == null ? OptionalLong.empty() : OptionalLong.of(from),
        to,
        actor,
        Instant.parse("2026-12-06T20:00:00Z").plusSeconds(id),
        reason,
        Optional.empty());
  }
}
