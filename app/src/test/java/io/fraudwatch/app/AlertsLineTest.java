package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertsLineTest {

  private static final Instant AT = Instant.parse("2018-08-08T10:15:00Z");

  @Test
  void aModelAlertShowsTheScoreReachingTheThreshold() {
    assertThat(
            AlertsCommand.line(
                AT, "tx-1", "c-7", "t-3", 1234.5, 0.91, 0.5, true, 3, List.of("TX_AMOUNT:+2.31")))
        .isEqualTo(
            "2018-08-08T10:15:00Z  tx-1  customer c-7  terminal t-3  1,234.50  score 0.910 >= 0.500"
                + "  v3  TX_AMOUNT:+2.31");
  }

  @Test
  void aRuleOnlyAlertSaysTheModelDidNotAlertAndNamesTheRule() {
    assertThat(
            AlertsCommand.line(
                AT,
                "tx-2",
                "c-7",
                "t-3",
                118.59,
                0.281,
                0.959,
                false,
                1,
                List.of("rule:big-night", "TX_AMOUNT:+0.76")))
        .isEqualTo(
            "2018-08-08T10:15:00Z  tx-2  customer c-7  terminal t-3  118.59  score 0.281 < 0.959"
                + " (rules alerted)  v1  rule:big-night TX_AMOUNT:+0.76");
  }
}
