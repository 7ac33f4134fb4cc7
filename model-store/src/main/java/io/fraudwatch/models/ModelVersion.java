package io.fraudwatch.models;

import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.scoring.LinearScorer;
import java.util.List;
import java.util.OptionalLong;

/**
 * A stored, immutable model version: its id, the version it was derived from, its content and
 * checksum.
 */
public record ModelVersion(long id, OptionalLong parentId, ModelContent content, String checksum) {

  /** How versions are shown to users: {@code v12}. */
  public static String label(long id) {
    return "v" + id;
  }

  public String label() {
    return label(id);
  }

  public String modelName() {
    return content.modelName();
  }

  public ModelKind kind() {
    return content.kind();
  }

  public FeatureSchema schema() {
    return content.schema();
  }

  public List<Double> weights() {
    return content.weights();
  }

  public double threshold() {
    return content.threshold();
  }

  /** The scoring function of this version, ready to broadcast. */
  public LinearScorer scorer() {
    return new LinearScorer(
        id,
        content.schema(),
        new Standardisation(content.meanArray(), content.stdArray()),
        content.weightArray(),
        content.threshold());
  }
}
