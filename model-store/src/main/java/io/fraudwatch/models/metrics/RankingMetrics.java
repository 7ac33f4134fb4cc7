package io.fraudwatch.models.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * Threshold-free quality of fraud scores: AUC ROC and average precision. Tied scores are handled as
 * one threshold (a tie is neither ranked right nor wrong). Both are undefined, hence empty, when
 * the labels hold only one class.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * Area under the ROC curve: the probability that a random fraud scores above a random genuine
   * transaction, ties counting one half (Mann-Whitney U with mid-ranks).
   */
  public static OptionalDouble aucRoc(double[] scores, boolean[] fraud) {
    requireSameLength(scores, fraud);
    Integer[] order = ascending(scores);
    long positives = 0;
    double positiveRankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double midRank = (i + j) / 2.0 + 1; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        if (fraud[order[k]]) {
          positives++;
          positiveRankSum += midRank;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return OptionalDouble.empty();
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return OptionalDouble.of(u / ((double) positives * negatives));
  }

  /**
   * Average precision: the precision at each distinct score threshold (highest first), weighted by
   * the recall gained there; the area under the precision-recall curve without interpolation.
   */
  public static OptionalDouble averagePrecision(double[] scores, boolean[] fraud) {
    requireSameLength(scores, fraud);
    long positives = IntStream.range(0, fraud.length).filter(k -> fraud[k]).count();
    if (positives == 0 || positives == fraud.length) {
      return OptionalDouble.empty();
    }
    Integer[] order = ascending(scores);
    long truePositives = 0;
    long selected = 0;
    double ap = 0;
    int i = order.length - 1;
    while (i >= 0) {
      int j = i;
      while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
        j--;
      }
      long gained = 0;
      for (int k = j; k <= i; k++) {
        if (fraud[order[k]]) {
          gained++;
        }
      }
      truePositives += gained;
      selected += i - j + 1;
      ap += (double) gained / positives * ((double) truePositives / selected);
      i = j - 1;
    }
    return OptionalDouble.of(ap);
  }

  private static Integer[] ascending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, k -> k);
    Arrays.sort(order, Comparator.comparingDouble(k -> scores[k]));
    return order;
  }

  private static void requireSameLength(double[] scores, boolean[] fraud) {
    if (scores.length != fraud.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + fraud.length + " labels");
    }
    for (double s : scores) {
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException("a score is NaN");
      }
    }
  }
}
