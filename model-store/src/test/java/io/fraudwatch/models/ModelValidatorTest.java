package io.fraudwatch.models;

import static io.fraudwatch.models.TestModels.SCHEMA;
import static io.fraudwatch.models.TestModels.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.features.FeatureSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidatorTest {

  private final ModelValidator validator = new ModelValidator(SCHEMA);

  @Test
  void acceptsAValidVersion() {
    assertThat(validator.problems(TestModels.valid())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void refusesNonFiniteWeightsNamingTheFeature(double bad) {
    ModelContent c = content(List.of(0.8, bad, 1.7, -4.2), 0.5, Map.of());
    assertThatThrownBy(() -> validator.requireValid(c))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("weight of night is " + bad + ", must be finite");
  }

  @Test
  void refusesANonFiniteBias() {
    assertThat(validator.problems(content(List.of(0.8, 0.3, 1.7, Double.NaN), 0.5, Map.of())))
        .containsExactly("weight of bias is NaN, must be finite");
  }

  @Test
  void refusesAWeightVectorWithoutTheBias() {
    assertThat(validator.problems(content(List.of(0.8, 0.3, 1.7), 0.5, Map.of())))
        .containsExactly("weights: expected 4 values (3 features + bias), got 3");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
  void refusesAThresholdOutsideTheOpenUnitInterval(double threshold) {
    assertThat(validator.problems(content(List.of(0.8, 0.3, 1.7, -4.2), threshold, Map.of())))
        .containsExactly("decision threshold " + threshold + " is outside (0, 1)");
  }

  @Test
  void acceptsThresholdsJustInsideTheInterval() {
    assertThat(validator.problems(content(List.of(0.8, 0.3, 1.7, -4.2), Math.ulp(0.0), Map.of())))
        .isEmpty();
    assertThat(
            validator.problems(content(List.of(0.8, 0.3, 1.7, -4.2), Math.nextDown(1.0), Map.of())))
        .isEmpty();
  }

  @Test
  void refusesAnotherFeatureSet() {
    ModelValidator other =
        new ModelValidator(new FeatureSchema(List.of("amount", "night", "customer_tx_1d")));
    assertThat(other.problems(TestModels.valid()))
        .singleElement()
        .asString()
        .startsWith(
            "feature schema "
                + SCHEMA.hash().substring(0, 12)
                + " does not match the current feature set")
        .endsWith("(missing [customer_tx_1d], unexpected [terminal_risk_7d])");
  }

  @Test
  void refusesTheSameFeaturesInAnotherOrder() {
    ModelValidator reordered =
        new ModelValidator(new FeatureSchema(List.of("night", "amount", "terminal_risk_7d")));
    assertThat(reordered.problems(TestModels.valid()))
        .singleElement()
        .asString()
        .contains("same features in a different order");
  }

  @Test
  void refusesBadStandardisationStatistics() {
    ModelContent c =
        new ModelContent(
            "fraud-lr",
            TestModels.CREATED,
            "alice",
            ModelKind.BATCH,
            SCHEMA,
            List.of(50.0, Double.NaN, 0.01),
            List.of(40.0, 0.0, 0.05, 1.0),
            List.of(0.8, 0.3, 1.7, -4.2),
            0.5,
            TestModels.valid().training(),
            Map.of());
    assertThat(validator.problems(c))
        .containsExactly(
            "standardisation mean of night is NaN, must be finite",
            "standardisation stds: expected 3 values (3 features), got 4",
            "standardisation std of night is 0.0, must be > 0");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ModelContent c =
        content(List.of(Double.NaN, 0.3, 1.7, -4.2), 1.0, Map.of("validation.auc_roc", Double.NaN));
    assertThatThrownBy(() -> validator.requireValid(c))
        .isInstanceOfSatisfying(
            InvalidModelException.class, e -> assertThat(e.problems()).hasSize(3))
        .hasMessageStartingWith("refusing to store a version of fraud-lr: ");
  }

  @Test
  void refusesAnOnlineVersionWithoutItsStreamPosition() {
    ModelContent batch = TestModels.valid();
    ModelContent online =
        new ModelContent(
            batch.modelName(),
            batch.createdAt(),
            batch.createdBy(),
            ModelKind.ONLINE,
            batch.schema(),
            batch.means(),
            batch.stds(),
            batch.weights(),
            batch.threshold(),
            batch.training(),
            Map.of());
    assertThat(validator.problems(online))
        .containsExactly(
            "an online version must record the Kafka offsets and the label watermark it has learned up to");

    ModelContent positioned =
        new ModelContent(
            batch.modelName(),
            batch.createdAt(),
            batch.createdBy(),
            ModelKind.ONLINE,
            batch.schema(),
            batch.means(),
            batch.stds(),
            batch.weights(),
            batch.threshold(),
            TrainingData.online(
                batch.training().from(),
                batch.training().to(),
                "stream",
                Map.of("fraud.transactions-0", 1200L),
                Instant.parse("2018-07-24T00:00:00Z")),
            Map.of());
    assertThat(validator.problems(positioned)).isEmpty();
  }

  @Test
  void refusesAnInvertedTrainingWindowAndABadName() {
    ModelContent base = TestModels.valid();
    ModelContent c =
        new ModelContent(
            "bad name; DROP",
            base.createdAt(),
            base.createdBy(),
            base.kind(),
            base.schema(),
            base.means(),
            base.stds(),
            base.weights(),
            base.threshold(),
            new TrainingData(
                base.training().to(), base.training().from(), "x", Map.of(), Optional.empty()),
            Map.of());
    assertThat(validator.problems(c))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("model name 'bad name; DROP' must be"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("training window starts (2018-07-31T23:59:59Z) after it ends"));
  }
}
