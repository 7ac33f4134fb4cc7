package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HandbookFeaturesTest {

  @Test
  void schemaHasTheHandbookNamesInOrderThenTheSpendingDeviations() {
    assertThat(HandbookFeatures.SCHEMA.names())
        .containsExactly(
            "TX_AMOUNT",
            "TX_DURING_WEEKEND",
            "TX_DURING_NIGHT",
            "CUSTOMER_ID_NB_TX_1DAY_WINDOW",
            "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_7DAY_WINDOW",
            "CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_30DAY_WINDOW",
            "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW",
            "TERMINAL_ID_NB_TX_1DAY_WINDOW",
            "TERMINAL_ID_RISK_1DAY_WINDOW",
            "TERMINAL_ID_NB_TX_7DAY_WINDOW",
            "TERMINAL_ID_RISK_7DAY_WINDOW",
            "TERMINAL_ID_NB_TX_30DAY_WINDOW",
            "TERMINAL_ID_RISK_30DAY_WINDOW",
            "TX_AMOUNT_SQUARED",
            "AMOUNT_TO_CUSTOMER_AVG_7DAY_WINDOW",
            "AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW",
            "AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW_SQUARED",
            "CUSTOMER_ID_MAX_EARLIER_AMOUNT_30DAY_WINDOW",
            "AMOUNT_TO_CUSTOMER_MAX_EARLIER_30DAY_WINDOW",
            "TX_AMOUNT_LOG",
            "NIGHT_CUSTOMER_ID_NB_TX_1DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_1HOUR_WINDOW",
            "TX_AMOUNT_OVER_200",
            "TERMINAL_ID_NB_FRAUD_LATEST_2_TX",
            "NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW");
    assertThat(HandbookFeatures.SCHEMA.names().get(HandbookFeatures.CUSTOMER_OFFSET))
        .isEqualTo("CUSTOMER_ID_NB_TX_1DAY_WINDOW");
    assertThat(HandbookFeatures.SCHEMA.names().get(HandbookFeatures.TERMINAL_OFFSET))
        .isEqualTo("TERMINAL_ID_NB_TX_1DAY_WINDOW");
    assertThat(HandbookFeatures.SCHEMA.names().get(HandbookFeatures.DEVIATION_OFFSET))
        .isEqualTo("TX_AMOUNT_SQUARED");
  }

  @Test
  void weekendIsSaturdayAndSundayInUtc() {
    // 2018-04-06 is a Friday
    assertThat(HandbookFeatures.duringWeekend(Instant.parse("2018-04-06T23:59:59.999Z"))).isFalse();
    assertThat(HandbookFeatures.duringWeekend(Instant.parse("2018-04-07T00:00:00Z"))).isTrue();
    assertThat(HandbookFeatures.duringWeekend(Instant.parse("2018-04-08T23:59:59Z"))).isTrue();
    assertThat(HandbookFeatures.duringWeekend(Instant.parse("2018-04-09T00:00:00Z"))).isFalse();
  }

  @Test
  void nightIsMidnightUntilSevenInUtc() {
    assertThat(HandbookFeatures.duringNight(Instant.parse("2018-04-06T00:00:00Z"))).isTrue();
    assertThat(HandbookFeatures.duringNight(Instant.parse("2018-04-06T06:59:59.999999999Z")))
        .isTrue();
    assertThat(HandbookFeatures.duringNight(Instant.parse("2018-04-06T07:00:00Z"))).isFalse();
    assertThat(HandbookFeatures.duringNight(Instant.parse("2018-04-06T23:59:59Z"))).isFalse();
  }

  @Test
  void theCalendarFlagsAgreeWithJavaTimeBeforeAndAfterTheEpoch() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              r.nextLong(-4_000_000_000L, 8_000_000_000L), r.nextInt(1_000_000_000));
      java.time.LocalDateTime utc = java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
      assertThat(HandbookFeatures.duringNight(t)).as("%s", t).isEqualTo(utc.getHour() <= 6);
      assertThat(HandbookFeatures.duringWeekend(t))
          .as("%s", t)
          .isEqualTo(utc.getDayOfWeek().getValue() >= 6);
    }
  }

  @Test
  void vectorPlacesThePartsInSchemaOrderThenTheDeviations() {
    double[] customer = {1, 2, 3, 4, 5, 6, 17, 4, 3};
    double[] terminal = {7, 8, 9, 10, 11, 12, 2};

    double[] v =
        HandbookFeatures.vector(Instant.parse("2018-04-07T03:00:00Z"), 42.5, customer, terminal);
    double[] large =
        HandbookFeatures.vector(Instant.parse("2018-04-07T03:00:00Z"), 250.5, customer, terminal);
    double[] byDay =
        HandbookFeatures.vector(Instant.parse("2018-04-07T13:00:00Z"), 42.5, customer, terminal);

    // 42.5 over the 7-day mean 4, the 30-day mean 6 and the largest earlier amount 17; at night
    // (03:00), so the night counts are the 1-day count 1 and the hour's small count 3
    assertThat(v)
        .containsExactly(
            42.5,
            1,
            1,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            1806.25,
            10.625,
            42.5 / 6,
            (42.5 / 6) * (42.5 / 6),
            17,
            2.5,
            Math.log(43.5),
            1,
            4,
            0,
            2,
            3);
    assertThat(byDay[HandbookFeatures.NIGHT_SMALL_COUNT_BURST]).isZero();
    assertThat(large[HandbookFeatures.SCHEMA.names().indexOf("TX_AMOUNT_OVER_200")])
        .isEqualTo(50.5);
    assertThatThrownBy(() -> HandbookFeatures.vector(Instant.EPOCH, 1, new double[6], terminal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 9 values");
  }

  @Test
  void anAmountOverZeroMeansOrNoEarlierAmountCountsAsUsual() {
    double[] customer = {1, 0, 1, 0, 1, 0, 0, 1, 1};

    double[] v = HandbookFeatures.vector(Instant.EPOCH, 0, customer, new double[7]);

    assertThat(v).endsWith(0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1);
  }

  @Test
  void configNeedsAPositiveLabelDelay() {
    assertThat(HandbookFeatures.Config.DEFAULT.labelDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(HandbookFeatures.Config.DEFAULT.terminalHorizon()).isEqualTo(Duration.ofDays(37));
    assertThatThrownBy(() -> new HandbookFeatures.Config(Duration.ZERO))
        .hasMessageContaining("labelDelay must be positive");
    assertThatThrownBy(() -> new HandbookFeatures.Config(Duration.ofDays(-1)))
        .hasMessageContaining("labelDelay must be positive");
  }
}
