package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.features.Standardisation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

  private static final Standardisation STD =
      new Standardisation(new double[] {10, 0}, new double[] {2, 4});

  @Test
  void pointsAreTheVersionsStandardisedFeaturesWithTheBiasAppended() {
    TrainingSet set = new TrainingSet(STD, 1);

    TrainingSet.Point p = set.point(scored("tx", true, 0.5, 14, -2));

    assertThat(p.input()).containsExactly((14 - 10) / 2.0, -2 / 4.0, Standardisation.BIAS);
    assertThat(p.label()).isEqualTo(1.0);
    assertThat(set.point(scored("ok", false, 0.5, 10, 0)).label()).isEqualTo(0.0);
  }

  @Test
  void eachFraudIsRepeatedByTheOversamplingFactorInPlace() {
    TrainingSet set = new TrainingSet(STD, 3);

    List<TrainingSet.Point> points =
        set.points(
            List.of(
                scored("g1", false, 0.1, 10, 0),
                scored("f1", true, 0.9, 12, 4),
                scored("g2", false, 0.1, 8, 0)));

    assertThat(points)
        .extracting(TrainingSet.Point::label)
        .containsExactly(0.0, 1.0, 1.0, 1.0, 0.0);
    assertThat(points.get(1).input()).containsExactly(1.0, 1.0, 1.0);
  }

  @Test
  void aFeatureVectorOfTheWrongLengthNamesItsTransaction() {
    TrainingSet set = new TrainingSet(STD, 1);

    assertThatThrownBy(() -> set.point(scored("tx-short", false, 0.5, 1)))
        .hasMessageContaining("tx-short")
        .hasMessageContaining("expected 2 features");
  }

  @Test
  void theOversamplingFactorMustBeAtLeastOne() {
    assertThatThrownBy(() -> new TrainingSet(STD, 0))
        .hasMessageContaining("oversampling factor must be >= 1");
  }
}
