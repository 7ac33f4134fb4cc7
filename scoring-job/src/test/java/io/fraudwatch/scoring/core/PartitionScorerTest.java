package io.fraudwatch.scoring.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.models.scoring.LinearScorer;
import io.fraudwatch.scoring.ScoredTransaction;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionScorerTest {
  private static final int N = HandbookFeatures.SIZE;
  private static final Standardisation IDENTITY = new Standardisation(new double[N], filled(1));

  private static double[] filled(double v) {
    double[] a = new double[N];
    Arrays.fill(a, v);
    return a;
  }

  /**
   * Weight only on CUSTOMER_ID_NB_TX_1DAY_WINDOW, bias -2.5: alerts from the third transaction of a
   * day.
   */
  private static LinearScorer countScorer(long version) {
    double[] w = new double[N + 1];
    w[HandbookFeatures.SCHEMA.names().indexOf("CUSTOMER_ID_NB_TX_1DAY_WINDOW")] = 1;
    w[N] = -2.5;
    return new LinearScorer(version, HandbookFeatures.SCHEMA, IDENTITY, w, 0.5);
  }

  private static DecodedTransaction.Valid tx(String id, String time, long offset) {
    return new DecodedTransaction.Valid(
        new TransactionInput(id, "C1", "T1", Instant.parse(time), 10), 0, offset);
  }

  @Test
  void eachTransactionSeesTheEarlierOnesOfItsPartition() {
    HistoryState history = new HistoryState(HandbookFeatures.Config.DEFAULT);

    List<ScoredTransaction> scored =
        PartitionScorer.score(
                history,
                new ModelPair(countScorer(3), null),
                List.of(
                    tx("1", "2018-04-01T10:00:00Z", 0),
                    tx("2", "2018-04-01T11:00:00Z", 1),
                    tx("3", "2018-04-01T12:00:00Z", 2)))
            .rows();

    assertThat(scored).extracting(s -> s.features()[3]).containsExactly(1.0, 2.0, 3.0);
    assertThat(scored).extracting(ScoredTransaction::alert).containsExactly(false, false, true);
    assertThat(scored).extracting(ScoredTransaction::modelVersion).containsOnly(3L);
    assertThat(scored.get(2).reasonCodes().get(0).feature())
        .isEqualTo("CUSTOMER_ID_NB_TX_1DAY_WINDOW");
    assertThat(scored).extracting(ScoredTransaction::kafkaOffset).containsExactly(0L, 1L, 2L);
    assertThat(scored).extracting(ScoredTransaction::challengerScore).containsOnlyNulls();
  }

  @Test
  void aRetriedPartitionScoresTheSame() {
    HistoryState history = new HistoryState(HandbookFeatures.Config.DEFAULT);
    List<DecodedTransaction.Valid> batch =
        List.of(tx("1", "2018-04-01T10:00:00Z", 0), tx("2", "2018-04-01T11:00:00Z", 1));
    ModelPair models = new ModelPair(countScorer(3), null);

    List<ScoredTransaction> first = PartitionScorer.score(history, models, batch).rows();
    List<ScoredTransaction> retry = PartitionScorer.score(history, models, batch).rows();

    assertThat(retry)
        .extracting(ScoredTransaction::score)
        .containsExactlyElementsOf(first.stream().map(ScoredTransaction::score).toList());
  }

  @Test
  void challengerIsShadowScoredButNeverDecidesTheAlert() {
    HistoryState history = new HistoryState(HandbookFeatures.Config.DEFAULT);
    double[] allIn = new double[N + 1];
    allIn[N] = 10; // the challenger would alert on everything
    LinearScorer challenger = new LinearScorer(4, HandbookFeatures.SCHEMA, IDENTITY, allIn, 0.5);

    List<ScoredTransaction> scored =
        PartitionScorer.score(
                history,
                new ModelPair(countScorer(3), challenger),
                List.of(tx("1", "2018-04-01T10:00:00Z", 0)))
            .rows();

    assertThat(scored.get(0).challengerScore()).isGreaterThan(0.99);
    assertThat(scored.get(0).challengerVersion()).isEqualTo(4L);
    assertThat(scored.get(0).alert()).isFalse();
  }

  @Test
  void takingBackAPartitionLetsItsRestBeScoredAsIfTheRefusedOneNeverCame() {
    HistoryState history = new HistoryState(HandbookFeatures.Config.DEFAULT);
    ModelPair models = new ModelPair(countScorer(3), null);
    DecodedTransaction.Valid refused = tx("1", "2018-04-01T10:00:00Z", 0);
    DecodedTransaction.Valid kept = tx("2", "2018-04-01T11:00:00Z", 1);

    PartitionScorer.Scored first = PartitionScorer.score(history, models, List.of(refused, kept));
    PartitionScorer.takeBack(history, first);
    List<ScoredTransaction> again = PartitionScorer.score(history, models, List.of(kept)).rows();

    assertThat(first.rows().get(1).features()[3]).isEqualTo(2.0);
    assertThat(again.get(0).features()[3]).isEqualTo(1.0);
    assertThat(history.customerEventCount()).isEqualTo(1);
  }
}
