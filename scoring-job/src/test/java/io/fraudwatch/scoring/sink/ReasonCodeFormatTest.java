package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.scoring.ReasonCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReasonCodeFormatTest {

  @ParameterizedTest
  @CsvSource({
      "TERMINAL_ID_RISK_7DAY_WINDOW, 2.3149, TERMINAL_ID_RISK_7DAY_WINDOW:+2.31, 2.31",
      "TX_AMOUNT, -0.125, TX_AMOUNT:-0.13, -0.13",
      "TX_DURING_NIGHT, 0.0, TX_DURING_NIGHT:+0.00, 0.0",
      "CUSTOMER_ID_NB_TX_1DAY_WINDOW, 1234.5, CUSTOMER_ID_NB_TX_1DAY_WINDOW:+1234.50, 1234.5",
  })
  void formatsNameColonSignedTwoDecimalsAndParsesBack(String feature, double contribution, String text, double parsed) {
    ReasonCode code = new ReasonCode(feature, contribution);

    assertThat(ReasonCodeFormat.format(code)).isEqualTo(text);
    assertThat(ReasonCodeFormat.parse(text)).isEqualTo(new ReasonCode(feature, parsed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"TX_AMOUNT", ":+1.00", "TX_AMOUNT:", "TX_AMOUNT:high"})
  void rejectsTextThatIsNotAReasonCode(String text) {
    assertThatThrownBy(() -> ReasonCodeFormat.parse(text))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
  }
}
