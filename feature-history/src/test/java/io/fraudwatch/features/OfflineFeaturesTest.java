package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineFeaturesTest {

  private static final Instant T = Instant.parse("2018-04-21T05:00:00Z"); // a Saturday night
  private static final Duration SECOND = Duration.ofSeconds(1);

  private static HandbookRow row(
      long id, String customer, String terminal, Instant time, double amount, boolean fraud) {
    return new HandbookRow(id, time, customer, terminal, amount, fraud, fraud ? 2 : 0);
  }

  @Test
  void handComputedCustomerAndTerminalWindows() {
    Instant terminalEnd = T.minus(Duration.ofDays(7));
    List<HandbookRow> rows =
        List.of(
            row(10, "C1", "T1", T, 10, false),
            row(11, "C1", "T2", T, 7, false), // same second, later id
            row(9, "C1", "T2", T, 3, false), // same second, earlier id
            row(1, "C1", "T2", T.minus(Duration.ofDays(1)), 100, false), // exactly t - 1d
            row(2, "C1", "T2", T.minus(Duration.ofDays(1)).plus(SECOND), 20, false),
            row(3, "C1", "T2", T.minus(Duration.ofDays(7)), 1000, false), // exactly t - 7d
            row(5, "C1", "T2", T.minus(Duration.ofDays(30)).plus(SECOND), 2, false),
            row(4, "C2", "T1", terminalEnd, 50, true), // exactly t - d
            row(6, "C2", "T1", terminalEnd.plus(SECOND), 50, true), // after t - d
            row(
                7,
                "C2",
                "T1",
                terminalEnd.minus(Duration.ofDays(1)),
                50,
                false), // exactly t - d - 1d
            row(8, "C2", "T1", terminalEnd.minus(Duration.ofDays(2)), 50, true));

    List<OfflineFeatures.FeatureRow> out =
        OfflineFeatures.compute(rows, HandbookFeatures.Config.DEFAULT);

    assertThat(out)
        .extracting(OfflineFeatures.FeatureRow::transactionId)
        .containsExactly(5L, 8L, 7L, 3L, 4L, 6L, 1L, 2L, 9L, 10L, 11L);
    OfflineFeatures.FeatureRow ten = out.get(9);
    assertThat(ten.eventTime()).isEqualTo(T);
    assertThat(ten.customerId()).isEqualTo("C1");
    assertThat(ten.fraud()).isFalse();
    double[] f = ten.features();
    assertThat(f[0]).isEqualTo(10);
    assertThat(f[1]).isEqualTo(1); // Saturday
    assertThat(f[2]).isEqualTo(1); // 05:00
    // customer 1d {2, 9, 10}; 7d {1, 2, 9, 10}; 30d {1, 2, 3, 5, 9, 10}
    assertThat(new double[] {f[3], f[5], f[7]}).containsExactly(3, 4, 6);
    assertThat(f[4]).isCloseTo(11, within(1e-12));
    assertThat(f[6]).isCloseTo(33.25, within(1e-12));
    assertThat(f[8]).isCloseTo(1135.0 / 6, within(1e-12));
    // terminal 1d {4}; 7d {4, 7, 8}; 30d the same
    assertThat(new double[] {f[9], f[10], f[11], f[13]}).containsExactly(1, 1, 3, 3);
    assertThat(f[12]).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(f[14]).isCloseTo(2.0 / 3, within(1e-15));
    // the terminal's latest two of the 30-day window: 7 (genuine) and 4 (fraud)
    assertThat(f[HandbookFeatures.TERMINAL_FRAUD_LATEST]).isEqualTo(1);
    // small ones in the hour at night: 9 (3); its own 10 is not under 10, and 11 comes after it
    assertThat(f[HandbookFeatures.NIGHT_SMALL_COUNT_BURST]).isEqualTo(1);
    assertThat(out.get(10).features()[HandbookFeatures.NIGHT_SMALL_COUNT_BURST]).isEqualTo(2);
  }

  @Test
  void rejectsARepeatedTransactionId() {
    List<HandbookRow> rows =
        List.of(row(1, "C1", "T1", T, 1, false), row(1, "C1", "T1", T.plusSeconds(5), 1, false));

    assertThatThrownBy(() -> OfflineFeatures.compute(rows, HandbookFeatures.Config.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transaction id 1 occurs more than once");
  }
}
