package io.fraudwatch.models.training;

import io.fraudwatch.features.HandbookFeatures;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How a batch version is fitted.
 *
 * @param fraudWeight weight of a fraud in the loss; empty: balanced (genuine count / fraud count)
 * @param threshold decision threshold to store; empty: the one that maximises F1 on the validation
 *     days
 */
public record TrainingOptions(
    String modelName,
    String createdBy,
    HandbookFeatures.Config features,
    OptionalDouble fraudWeight,
    OptionalDouble threshold) {

  public TrainingOptions {
    Objects.requireNonNull(modelName, "model name");
    Objects.requireNonNull(createdBy, "created by");
    Objects.requireNonNull(features, "feature config");
    fraudWeight.ifPresent(
        w -> {
          if (!(w > 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("fraud weight must be a positive number, got " + w);
          }
        });
    threshold.ifPresent(
        t -> {
          if (!(t > 0 && t < 1)) {
            throw new IllegalArgumentException("threshold must be inside (0, 1), got " + t);
          }
        });
  }

  /** A fraud weight as operators write it: a positive number, or {@code balanced} (empty). */
  public static OptionalDouble parseFraudWeight(String text) {
    if ("balanced".equalsIgnoreCase(text)) {
      return OptionalDouble.empty();
    }
    try {
      double w = Double.parseDouble(text);
      if (w > 0 && !Double.isInfinite(w)) {
        return OptionalDouble.of(w);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--fraud-weight must be a positive number or 'balanced', got '" + text + "'");
  }
}
