package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelPrecedenceTest {

  @Test
  void anEqualVerdictKeepsTheEarliestKnownAt() {
    assertThat(LabelPrecedence.supersedes(true, true, -1)).isTrue();
    assertThat(LabelPrecedence.supersedes(true, true, 1)).isFalse();
    assertThat(LabelPrecedence.supersedes(false, false, 0)).isFalse();
  }

  @Test
  void aDifferentVerdictReplacesOnlyWhenKnownLater() {
    assertThat(LabelPrecedence.supersedes(false, true, 1)).isTrue();
    assertThat(LabelPrecedence.supersedes(false, true, -1)).isFalse();
    assertThat(LabelPrecedence.supersedes(true, false, 1)).isTrue();
  }

  @Test
  void atEqualTimesFraudWins() {
    assertThat(LabelPrecedence.supersedes(true, false, 0)).isTrue();
    assertThat(LabelPrecedence.supersedes(false, true, 0)).isFalse();
  }
}
