package io.fraudwatch.models;

import io.fraudwatch.features.FeatureSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a model version is, apart from its database id and lineage: the part the checksum
 * covers and that export/import carries between databases.
 *
 * <p>Scoring is {@code sigmoid(weights · [standardised features..., 1])}: {@code weights} holds one
 * weight per feature in schema order followed by the bias weight. A transaction alerts when its
 * score reaches {@code threshold}. This constructor checks shape only; {@link ModelValidator}
 * decides whether the store accepts it.
 */
public record ModelContent(
    String modelName,
    Instant createdAt,
    String createdBy,
    ModelKind kind,
    FeatureSchema schema,
    List<Double> means,
    List<Double> stds,
    List<Double> weights,
    double threshold,
    TrainingData training,
    Map<String, Double> metrics) {

  public static final String DEFAULT_MODEL = "fraud-lr";

  public ModelContent {
    Objects.requireNonNull(modelName, "model name");
    Objects.requireNonNull(createdBy, "created by");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(schema, "feature schema");
    Objects.requireNonNull(training, "training data");
    createdAt = Objects.requireNonNull(createdAt, "created at").truncatedTo(ChronoUnit.MICROS);
    means = List.copyOf(means);
    stds = List.copyOf(stds);
    weights = List.copyOf(weights);
    metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
  }

  /** A new version's content, stamped with the clock's current time. */
  public static ModelContent create(
      Clock clock,
      String modelName,
      String createdBy,
      ModelKind kind,
      FeatureSchema schema,
      double[] means,
      double[] stds,
      double[] weights,
      double threshold,
      TrainingData training,
      Map<String, Double> metrics) {
    return new ModelContent(
        modelName,
        clock.instant(),
        createdBy,
        kind,
        schema,
        boxed(means),
        boxed(stds),
        boxed(weights),
        threshold,
        training,
        metrics);
  }

  /** The bias weight (the last one). */
  public double bias() {
    return weights.get(weights.size() - 1);
  }

  public double[] weightArray() {
    return unboxed(weights);
  }

  public double[] meanArray() {
    return unboxed(means);
  }

  public double[] stdArray() {
    return unboxed(stds);
  }

  static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
