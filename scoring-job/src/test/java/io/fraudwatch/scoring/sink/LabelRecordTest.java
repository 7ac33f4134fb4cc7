package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelRecordTest {

  private static final Instant T = Instant.parse("2018-08-10T00:00:00Z");

  @Test
  void anEqualVerdictKeepsTheEarliestTimeItBecameKnown() {
    LabelRecord first = label(true, T);
    LabelRecord later = label(true, T.plusSeconds(1));

    assertThat(first.supersedes(later)).isTrue();
    assertThat(later.supersedes(first)).isFalse();
    assertThat(first.supersedes(first)).isFalse();
  }

  @Test
  void aDifferentVerdictReplacesOnlyWhenKnownLaterAndFraudWinsAtEqualTimes() {
    assertThat(label(false, T.plusSeconds(1)).supersedes(label(true, T))).isTrue();
    assertThat(label(false, T.minusSeconds(1)).supersedes(label(true, T))).isFalse();
    assertThat(label(true, T).supersedes(label(false, T))).isTrue();
    assertThat(label(false, T).supersedes(label(true, T))).isFalse();
  }

  @Test
  void rejectsAnUnknownSource() {
    assertThatThrownBy(() -> new LabelRecord("1", true, T, "RUMOUR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUMOUR")
        .hasMessageContaining("transaction 1");
  }

  private static LabelRecord label(boolean fraud, Instant knownAt) {
    return new LabelRecord("1", fraud, knownAt, "CHARGEBACK");
  }
}
