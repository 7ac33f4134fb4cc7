package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnscaledCentsTest {
  private static long decimal(double amount) {
    return BigDecimal.valueOf(amount)
        .setScale(2, RoundingMode.HALF_UP)
        .unscaledValue()
        .longValueExact();
  }

  @Test
  void centsAreTheDecimalFormRoundedHalfUpForAnyAmount() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      double twoDecimals = r.nextLong(-10_000_000_000L, 10_000_000_000L) / 100.0;
      double threeDecimals = r.nextLong(-1_000_000_000L, 1_000_000_000L) / 1000.0;
      double any = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(16));
      for (double amount : new double[] {twoDecimals, threeDecimals, any}) {
        assertThat(StoreLimits.unscaledCents(amount)).as("%s", amount).isEqualTo(decimal(amount));
      }
    }
    for (double amount : new double[] {0, -0.0, 0.005, 1.005, 2.675, -1.005, 0.125, 1e11 + 0.01}) {
      assertThat(StoreLimits.unscaledCents(amount)).as("%s", amount).isEqualTo(decimal(amount));
    }
  }
}
