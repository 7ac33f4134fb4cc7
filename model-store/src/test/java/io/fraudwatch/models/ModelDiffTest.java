package io.fraudwatch.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.FeatureSchema;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ModelDiffTest {

  @Test
  void ordersWeightsByTheSizeOfTheirChangeWithTheBiasByName() {
    ModelContent a = TestModels.content(List.of(0.8, 0.3, 1.7, -4.2), 0.5, Map.of());
    ModelContent b = TestModels.content(List.of(0.9, -0.7, 1.7, -4.0), 0.5, Map.of());

    ModelDiff diff = ModelDiff.of(a, b);

    assertThat(diff.weights())
        .extracting(ModelDiff.Row::name)
        .containsExactly("night", ModelDiff.BIAS, "amount", "terminal_risk_7d");
    ModelDiff.Row night = diff.weights().get(0);
    assertThat(night.a()).hasValue(0.3);
    assertThat(night.b()).hasValue(-0.7);
    assertThat(night.change().getAsDouble())
        .isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(diff.weights().get(3).change()).hasValue(0.0);
  }

  @Test
  void metricsOnOneSideOnlyComeFirstThenLargestChange() {
    ModelContent a =
        TestModels.content(
            List.of(0.8, 0.3, 1.7, -4.2),
            0.5,
            Map.of(
                "validation.auc_roc",
                0.80,
                "validation.average_precision",
                0.50,
                "training.rows",
                100.0));
    ModelContent b =
        TestModels.content(
            List.of(0.8, 0.3, 1.7, -4.2),
            0.5,
            Map.of(
                "validation.auc_roc",
                0.85,
                "validation.average_precision",
                0.60,
                "prequential.auc_roc",
                0.9));

    List<ModelDiff.Row> rows = ModelDiff.of(a, b).metrics();

    assertThat(rows)
        .extracting(ModelDiff.Row::name)
        .containsExactly(
            "prequential.auc_roc",
            "training.rows",
            "validation.average_precision",
            "validation.auc_roc");
    assertThat(rows.get(0).a()).isEmpty();
    assertThat(rows.get(0).change()).isEqualTo(OptionalDouble.empty());
    assertThat(rows.get(1).b()).isEmpty();
  }

  @Test
  void matchesWeightsByFeatureNameAcrossSchemas() {
    ModelContent a = TestModels.valid();
    FeatureSchema other = new FeatureSchema(List.of("night", "amount"));
    ModelContent b =
        new ModelContent(
            a.modelName(),
            a.createdAt(),
            a.createdBy(),
            a.kind(),
            other,
            List.of(0.2, 50.0),
            List.of(0.4, 40.0),
            List.of(0.3, 0.8, -4.2),
            0.5,
            a.training(),
            Map.of());

    ModelDiff diff = ModelDiff.of(a, b);

    assertThat(diff.weights())
        .extracting(ModelDiff.Row::name)
        .containsExactly("terminal_risk_7d", ModelDiff.BIAS, "amount", "night");
    assertThat(diff.weights().get(0).b()).isEmpty();
    assertThat(diff.weights())
        .allSatisfy(
            r -> {
              if (r.a().isPresent() && r.b().isPresent()) {
                assertThat(r.change()).hasValue(0.0);
              }
            });
  }
}
