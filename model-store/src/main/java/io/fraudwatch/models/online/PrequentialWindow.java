package io.fraudwatch.models.online;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.metrics.MetricNames;
import io.fraudwatch.models.metrics.RankingMetrics;
import io.fraudwatch.models.scoring.LinearScorer;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The most recent {@code capacity} labelled transactions, each with two scores given before its
 * label existed: the champion's, as logged when the transaction was scored, and the learner's,
 * computed with the weights it had just before it trained on the example (test-then-train). Both
 * are therefore judged on the same transactions, neither having learned from them.
 *
 * <p>The champion's scores are those of whichever version was champion when each transaction was
 * scored; after a promotion the window holds both until the older scores roll out.
 */
public final class PrequentialWindow implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private record Entry(boolean fraud, double championScore, double learnerScore)
      implements Serializable {}

  /**
   * AUC ROC and average precision of the learner and of the champion on the window; each is empty
   * while the window holds a single class.
   */
  public record Metrics(
      int labels,
      int frauds,
      OptionalDouble learnerAucRoc,
      OptionalDouble learnerAveragePrecision,
      OptionalDouble championAucRoc,
      OptionalDouble championAveragePrecision) {

    /**
     * The metrics under their {@link MetricNames}, for an online version's record (undefined ones
     * left out).
     */
    public Map<String, Double> asVersionMetrics() {
      Map<String, Double> m = new HashMap<>();
      m.put(MetricNames.PREQUENTIAL_LABELS, (double) labels);
      m.put(MetricNames.PREQUENTIAL_FRAUDS, (double) frauds);
      learnerAucRoc.ifPresent(v -> m.put(MetricNames.PREQUENTIAL_AUC_ROC, v));
      learnerAveragePrecision.ifPresent(v -> m.put(MetricNames.PREQUENTIAL_AVERAGE_PRECISION, v));
      championAucRoc.ifPresent(v -> m.put(MetricNames.PREQUENTIAL_CHAMPION_AUC_ROC, v));
      championAveragePrecision.ifPresent(
          v -> m.put(MetricNames.PREQUENTIAL_CHAMPION_AVERAGE_PRECISION, v));
      return m;
    }
  }

  private final int capacity;
  private final ArrayDeque<Entry> entries;

  public PrequentialWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("prequential window size must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(capacity);
  }

  /**
   * The learner's probability of fraud for an example: {@code sigmoid(weights · modelInput(raw
   * features))}.
   */
  public static double learnerScore(
      double[] weights, Standardisation standardisation, LabelledExample example) {
    return LinearScorer.probabilityOf(weights, standardisation.modelInput(example.rawFeatures()));
  }

  /**
   * Adds a batch about to be learned, scored with the learner's weights before the batch (MLlib's
   * streaming model updates once per batch, so these are the weights "just before" each example is
   * trained on).
   */
  public void recordBeforeTraining(
      Collection<LabelledExample> batch,
      double[] weightsBeforeBatch,
      Standardisation standardisation) {
    for (LabelledExample e : batch) {
      record(e, learnerScore(weightsBeforeBatch, standardisation, e));
    }
  }

  /**
   * Adds one example with the learner's score; the oldest example leaves when the window is full.
   */
  public void record(LabelledExample example, double learnerScore) {
    if (!(learnerScore >= 0 && learnerScore <= 1)) {
      throw new IllegalArgumentException(
          "learner score of "
              + example.transactionId()
              + " is "
              + learnerScore
              + ", must be in [0, 1]");
    }
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(example.fraud(), example.championScore(), learnerScore));
  }

  /**
   * Empties the window: when the learner takes over other weights, the scores of its old ones say
   * nothing.
   */
  public void clear() {
    entries.clear();
  }

  public Metrics metrics() {
    int n = entries.size();
    boolean[] fraud = new boolean[n];
    double[] champion = new double[n];
    double[] learner = new double[n];
    int frauds = 0;
    int i = 0;
    for (Entry e : entries) {
      fraud[i] = e.fraud();
      champion[i] = e.championScore();
      learner[i] = e.learnerScore();
      frauds += e.fraud() ? 1 : 0;
      i++;
    }
    return new Metrics(
        n,
        frauds,
        RankingMetrics.aucRoc(learner, fraud),
        RankingMetrics.averagePrecision(learner, fraud),
        RankingMetrics.aucRoc(champion, fraud),
        RankingMetrics.averagePrecision(champion, fraud));
  }

  public int size() {
    return entries.size();
  }

  public int capacity() {
    return capacity;
  }
}
