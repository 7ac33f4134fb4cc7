package io.fraudwatch.models.online;

import io.fraudwatch.features.Standardisation;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Turns released examples into the learner's points: the raw features standardised with the
 * version's {@link Standardisation} and the bias input appended ({@link
 * Standardisation#modelInput}), so the online weights mean the same as the batch ones and the last
 * weight is the intercept MLlib does not learn; labels 1.0 (fraud) and 0.0 (genuine).
 *
 * <p>Class imbalance: frauds are well under 1% of transactions, and MLlib's streaming logistic
 * regression takes no sample weights, so each fraud is repeated {@code fraudOversampling} times (1
 * = as is). Repeating rather than sampling keeps the stream deterministic; with a mini-batch
 * fraction of 1 it is the same gradient as weighting frauds by that factor.
 */
public final class TrainingSet implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** One learner input: label 1.0/0.0 and {@code [standardised features..., 1.0]}. */
  public record Point(double label, double[] input) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public Point {
      input = input.clone();
    }

    @Override
    public double[] input() {
      return input.clone();
    }
  }

  private final Standardisation standardisation;
  private final int fraudOversampling;

  public TrainingSet(Standardisation standardisation, int fraudOversampling) {
    this.standardisation = Objects.requireNonNull(standardisation, "standardisation");
    if (fraudOversampling < 1) {
      throw new IllegalArgumentException(
          "fraud oversampling factor must be >= 1, got " + fraudOversampling);
    }
    this.fraudOversampling = fraudOversampling;
  }

  /**
   * The points of the examples in their order, each fraud repeated {@code fraudOversampling} times
   * in place.
   */
  public List<Point> points(Collection<LabelledExample> examples) {
    List<Point> points = new ArrayList<>(examples.size());
    for (LabelledExample e : examples) {
      Point p = point(e);
      for (int copy = 0, copies = e.fraud() ? fraudOversampling : 1; copy < copies; copy++) {
        points.add(p);
      }
    }
    return points;
  }

  /** One example's point (not repeated). */
  public Point point(LabelledExample e) {
    double[] input;
    try {
      input = standardisation.modelInput(e.rawFeatures());
    } catch (IllegalArgumentException wrongLength) {
      throw new IllegalArgumentException(
          "transaction " + e.transactionId() + ": " + wrongLength.getMessage(), wrongLength);
    }
    return new Point(e.fraud() ? 1.0 : 0.0, input);
  }

  public Standardisation standardisation() {
    return standardisation;
  }

  public int fraudOversampling() {
    return fraudOversampling;
  }
}
