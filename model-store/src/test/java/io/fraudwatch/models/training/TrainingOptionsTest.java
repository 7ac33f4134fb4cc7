package io.fraudwatch.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

  @Test
  void fraudWeightIsBalancedOrAPositiveNumber() {
    assertThat(TrainingOptions.parseFraudWeight("balanced")).isEmpty();
    assertThat(TrainingOptions.parseFraudWeight("BALANCED")).isEmpty();
    assertThat(TrainingOptions.parseFraudWeight("2.5")).isEqualTo(OptionalDouble.of(2.5));
    for (String bad : new String[] {"0", "-1", "many", "Infinity", "NaN"}) {
      assertThatThrownBy(() -> TrainingOptions.parseFraudWeight(bad))
          .as(bad)
          .hasMessage("--fraud-weight must be a positive number or 'balanced', got '" + bad + "'");
    }
  }
}
