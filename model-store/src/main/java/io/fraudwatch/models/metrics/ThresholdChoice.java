package io.fraudwatch.models.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Picks the decision threshold (alert when score &gt;= threshold) that maximises F1 on labelled
 * scores, trying every distinct score as a threshold; tied scores are alerted together.
 */
public final class ThresholdChoice {

  /**
   * The chosen threshold and the precision, recall and F1 it gives on the scores it was chosen on.
   */
  public record Choice(double threshold, double precision, double recall, double f1) {}

  private ThresholdChoice() {}

  /** Empty when there is no fraud among the labels (F1 is then undefined everywhere). */
  public static Optional<Choice> bestF1(double[] scores, boolean[] fraud) {
    if (scores.length != fraud.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + fraud.length + " labels");
    }
    long positives = 0;
    for (boolean f : fraud) {
      positives += f ? 1 : 0;
    }
    if (positives == 0) {
      return Optional.empty();
    }
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, k -> k);
    Arrays.sort(order, Comparator.comparingDouble((Integer k) -> scores[k]).reversed());
    Choice best = null;
    long truePositives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        truePositives += fraud[order[k]] ? 1 : 0;
      }
      double precision = (double) truePositives / (j + 1);
      double recall = (double) truePositives / positives;
      double f1 = truePositives == 0 ? 0 : 2 * precision * recall / (precision + recall);
      if (best == null || f1 > best.f1()) {
        best = new Choice(scores[order[i]], precision, recall, f1);
      }
      i = j + 1;
    }
    return Optional.of(best);
  }
}
