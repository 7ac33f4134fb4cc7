package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.scoring.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
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
  void formatsNameColonSignedTwoDecimalsAndParsesBack(
      String feature, double contribution, String text, double parsed) {
    ReasonCode code = new ReasonCode(feature, contribution);

    assertThat(ReasonCodeFormat.format(code)).isEqualTo(text);
    assertThat(ReasonCodeFormat.parse(text)).isEqualTo(new ReasonCode(feature, parsed));
  }

  @Test
  void formatsAsTheJavaFormatterWould() {
    Random random = new Random(7);
    List<Double> values =
        new ArrayList<>(
            List.of(
                -0.0,
                0.0,
                0.005,
                -0.005,
                0.004999,
                1.005,
                2.675,
                -2.675,
                0.125,
                1e-9,
                -1e-9,
                1e15,
                -123456789.995,
                Double.MIN_VALUE,
                -Double.MAX_VALUE,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
    for (int i = 0; i < 100_000; i++) {
      values.add(random.nextGaussian() * Math.pow(10, random.nextInt(8) - 3));
      values.add(
          Math.round(random.nextGaussian() * 100_000) / 1000.0
              + (random.nextBoolean() ? 0.0005 : -0.0005));
      // decimal half cents (x.xx5) from 0.005 to past the fast path's 1e6, and their binary
      // neighbours
      double halfCent =
          (random.nextLong((long) Math.pow(10, random.nextInt(10))) * 10 + 5) / 1000.0;
      values.add(Math.nextUp(halfCent));
      values.add(halfCent);
      values.add(-Math.nextDown(halfCent));
    }
    for (double edge : List.of(999_999.995, 999_999.994999, 1e6, 1e6 + 0.005, 1e6 - 1e-9)) {
      values.add(edge);
      values.add(Math.nextUp(edge));
      values.add(Math.nextDown(edge));
    }
    for (double v : values) {
      assertThat(ReasonCodeFormat.format(new ReasonCode("F", v)))
          .as("contribution %s", v)
          .isEqualTo(String.format(Locale.ROOT, "%s:%+.2f", "F", v));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TX_AMOUNT", ":+1.00", "TX_AMOUNT:", "TX_AMOUNT:high"})
  void rejectsTextThatIsNotAReasonCode(String text) {
    assertThatThrownBy(() -> ReasonCodeFormat.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }
}
