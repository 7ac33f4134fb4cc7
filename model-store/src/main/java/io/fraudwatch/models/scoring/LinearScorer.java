package io.fraudwatch.models.scoring;

import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.Standardisation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A model version's scoring function: {@code sigmoid(w · [standardised features, 1])}, with the
 * reason codes an analyst sees next to an alert. Immutable and serialisable, so the streaming job
 * can broadcast it to executors as is.
 */
public final class LinearScorer implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int REASON_CODES = 3;

  private final long versionId;
  private final List<String> featureNames;
  private final Standardisation standardisation;
  private final double[] weights;
  private final double threshold;

  public LinearScorer(
      long versionId,
      FeatureSchema schema,
      Standardisation standardisation,
      double[] weights,
      double threshold) {
    if (standardisation.size() != schema.size()) {
      throw new IllegalArgumentException(
          "standardisation has " + standardisation.size() + " features, schema " + schema.size());
    }
    if (weights.length != schema.size() + 1) {
      throw new IllegalArgumentException(
          "expected " + (schema.size() + 1) + " weights (features + bias), got " + weights.length);
    }
    this.versionId = versionId;
    this.featureNames = schema.names();
    this.standardisation = standardisation;
    this.weights = weights.clone();
    this.threshold = threshold;
  }

  /** One scored vector: the probability of fraud, whether it alerts, and the top reasons. */
  public record Result(double score, boolean alert, List<Reason> reasons) {}

  /** A feature's signed contribution to the margin (weight × standardised value). */
  public record Reason(String feature, double contribution) {}

  public long versionId() {
    return versionId;
  }

  public double threshold() {
    return threshold;
  }

  public Result score(double[] features) {
    double[] input = standardisation.modelInput(features);
    double margin = 0;
    double[] contributions = new double[featureNames.size()];
    for (int i = 0; i < input.length; i++) {
      double c = weights[i] * input[i];
      margin += c;
      if (i < contributions.length) {
        contributions[i] = c;
      }
    }
    double score = sigmoid(margin);
    return new Result(score, score >= threshold, topReasons(contributions));
  }

  /** The probability only, for shadow scoring where reasons are not shown. */
  public double probability(double[] features) {
    return probabilityOf(weights, standardisation.modelInput(features));
  }

  /**
   * {@code sigmoid(weights · modelInput)} for weights that are not (yet) a version, e.g. the online
   * learner's current ones; {@code modelInput} is {@link Standardisation#modelInput}'s output.
   */
  public static double probabilityOf(double[] weights, double[] modelInput) {
    if (weights.length != modelInput.length) {
      throw new IllegalArgumentException(
          weights.length
              + " weights for a model input of "
              + modelInput.length
              + " values (features + bias)");
    }
    double margin = 0;
    for (int i = 0; i < modelInput.length; i++) {
      margin += weights[i] * modelInput[i];
    }
    return sigmoid(margin);
  }

  /** The features that pushed the score up the most, largest first (ties: schema order). */
  private List<Reason> topReasons(double[] contributions) {
    int[] top = new int[Math.min(REASON_CODES, contributions.length)];
    int n = 0;
    for (int i = 0; i < contributions.length; i++) {
      int pos = n < top.length ? n++ : top.length;
      while (pos > 0 && contributions[i] > contributions[top[pos - 1]]) {
        if (pos < top.length) {
          top[pos] = top[pos - 1];
        }
        pos--;
      }
      if (pos < top.length) {
        top[pos] = i;
      }
    }
    List<Reason> reasons = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      reasons.add(new Reason(featureNames.get(top[k]), contributions[top[k]]));
    }
    return reasons;
  }

  /** Numerically stable logistic function. */
  static double sigmoid(double margin) {
    if (margin >= 0) {
      return 1 / (1 + Math.exp(-margin));
    }
    double e = Math.exp(margin);
    return e / (1 + e);
  }
}
