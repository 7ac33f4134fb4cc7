package io.fraudwatch.models;

import io.fraudwatch.features.FeatureSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a version may be stored: the scoring job must be able to use it as it is, so the
 * feature schema must be the current one, every number finite, the threshold strictly inside (0,
 * 1).
 */
public final class ModelValidator {

  /** Same rule as the CHECK on fraudwatch.models.name. */
  public static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final FeatureSchema current;

  public ModelValidator(FeatureSchema current) {
    this.current = current;
  }

  public FeatureSchema currentSchema() {
    return current;
  }

  /** Throws {@link InvalidModelException} listing every problem, or returns when there is none. */
  public void requireValid(ModelContent c) {
    List<String> problems = problems(c);
    if (!problems.isEmpty()) {
      throw new InvalidModelException(c.modelName(), problems);
    }
  }

  public List<String> problems(ModelContent c) {
    List<String> problems = new ArrayList<>();
    if (!MODEL_NAME.matcher(c.modelName()).matches()) {
      problems.add(
          "model name '"
              + c.modelName()
              + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (c.createdBy().isBlank()) {
      problems.add("created-by is blank");
    }
    schemaProblem(c.schema()).ifPresent(problems::add);
    int n = c.schema().size();
    checkVector(problems, "standardisation mean", c.means(), n, c.schema(), false);
    checkVector(problems, "standardisation std", c.stds(), n, c.schema(), false);
    for (int i = 0; i < Math.min(n, c.stds().size()); i++) {
      double s = c.stds().get(i);
      if (Double.isFinite(s) && s <= 0) {
        problems.add(
            "standardisation std of " + c.schema().names().get(i) + " is " + s + ", must be > 0");
      }
    }
    checkVector(problems, "weight", c.weights(), n + 1, c.schema(), true);
    double t = c.threshold();
    if (!(t > 0 && t < 1)) {
      problems.add("decision threshold " + t + " is outside (0, 1)");
    }
    trainingProblems(c, problems);
    for (Map.Entry<String, Double> m : c.metrics().entrySet()) {
      if (m.getKey().isBlank()) {
        problems.add("a metric has a blank name");
      }
      if (m.getValue() == null || !Double.isFinite(m.getValue())) {
        problems.add("metric " + m.getKey() + " is " + m.getValue() + ", must be a finite number");
      }
    }
    return problems;
  }

  private Optional<String> schemaProblem(FeatureSchema schema) {
    if (schema.equals(current)) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>(current.names());
    missing.removeAll(schema.names());
    List<String> unexpected = new ArrayList<>(schema.names());
    unexpected.removeAll(current.names());
    String detail =
        missing.isEmpty() && unexpected.isEmpty()
            ? "same features in a different order"
            : "missing " + missing + ", unexpected " + unexpected;
    return Optional.of(
        "feature schema "
            + shortHash(schema)
            + " does not match the current feature set "
            + shortHash(current)
            + " ("
            + detail
            + ")");
  }

  private static String shortHash(FeatureSchema s) {
    return s.hash().substring(0, 12);
  }

  private static void checkVector(
      List<String> problems,
      String what,
      List<Double> values,
      int expectedSize,
      FeatureSchema schema,
      boolean withBias) {
    if (values.size() != expectedSize) {
      problems.add(
          what
              + "s: expected "
              + expectedSize
              + " values ("
              + schema.size()
              + " features"
              + (withBias ? " + bias" : "")
              + "), got "
              + values.size());
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      Double v = values.get(i);
      if (v == null || !Double.isFinite(v)) {
        String name = i < schema.size() ? schema.names().get(i) : "bias";
        problems.add(what + " of " + name + " is " + v + ", must be finite");
      }
    }
  }

  private static void trainingProblems(ModelContent c, List<String> problems) {
    TrainingData t = c.training();
    if (t.from().isAfter(t.to())) {
      problems.add("training window starts (" + t.from() + ") after it ends (" + t.to() + ")");
    }
    if (t.description().isBlank()) {
      problems.add("training data description is blank");
    }
    t.kafkaOffsets()
        .forEach(
            (partition, offset) -> {
              if (offset == null || offset < 0) {
                problems.add("kafka offset of " + partition + " is " + offset + ", must be >= 0");
              }
            });
    if (c.kind() == ModelKind.ONLINE
        && (t.kafkaOffsets().isEmpty() || t.labelWatermark().isEmpty())) {
      problems.add(
          "an online version must record the Kafka offsets and the label watermark it has learned up to");
    }
  }
}
