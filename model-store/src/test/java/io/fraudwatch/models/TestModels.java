package io.fraudwatch.models;

import io.fraudwatch.features.FeatureSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid model content on a small schema, for tests to alter one thing at a time. */
public final class TestModels {
  public static final FeatureSchema SCHEMA =
      new FeatureSchema(List.of("amount", "night", "terminal_risk_7d"));
  public static final Instant CREATED = Instant.parse("2026-11-25T10:15:30.123456Z");

  private TestModels() {}

  public static ModelContent content(
      List<Double> weights, double threshold, Map<String, Double> metrics) {
    return new ModelContent(
        ModelContent.DEFAULT_MODEL,
        CREATED,
        "alice",
        ModelKind.BATCH,
        SCHEMA,
        List.of(50.0, 0.2, 0.01),
        List.of(40.0, 0.4, 0.05),
        weights,
        threshold,
        TrainingData.batch(
            Instant.parse("2018-07-25T00:00:00Z"),
            Instant.parse("2018-07-31T23:59:59Z"),
            "handbook-raw-2018-07.csv.gz"),
        metrics);
  }

  public static ModelContent valid() {
    return content(List.of(0.8, 0.3, 1.7, -4.2), 0.5, Map.of("validation.auc_roc", 0.87));
  }

  /** Same as {@link #valid()} with other weights and creation time, so the checksum differs. */
  public static ModelContent valid(int n) {
    ModelContent base =
        content(
            List.of(0.8 + n, 0.3, 1.7, -4.2), 0.5, Map.of("validation.auc_roc", 0.8 + n / 100.0));
    return new ModelContent(
        base.modelName(),
        base.createdAt().plusSeconds(n),
        base.createdBy(),
        base.kind(),
        base.schema(),
        base.means(),
        base.stds(),
        base.weights(),
        base.threshold(),
        base.training(),
        base.metrics());
  }
}
