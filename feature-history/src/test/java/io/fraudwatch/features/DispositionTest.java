package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispositionTest {

  @Test
  void confirmedFraudAndLegitimateAreLabelsUnsureIsNone() {
    assertThat(Disposition.CONFIRMED_FRAUD.fraud()).contains(true);
    assertThat(Disposition.LEGITIMATE.fraud()).contains(false);
    assertThat(Disposition.UNSURE.fraud()).isEqualTo(Optional.empty());
  }

  @Test
  void readsTheDatabasesNamesAndRefusesOthersNamingTheAcceptedOnes() {
    for (Disposition d : Disposition.values()) {
      assertThat(Disposition.of(d.sqlName())).isEqualTo(d);
    }
    assertThat(Disposition.CONFIRMED_FRAUD.sqlName()).isEqualTo("confirmed_fraud");
    assertThatThrownBy(() -> Disposition.of("fraud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fraud'")
        .hasMessageContaining("[confirmed_fraud, legitimate, unsure]");
  }
}
