package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelledExampleTest {

  private static final Instant EVENT = Instant.parse("2026-11-01T10:00:00.123456789Z");

  @Test
  void timesAreKeptToTheMicrosecondAsStored() {
    LabelledExample e = new LabelledExample("tx", EVENT, new double[] {1}, true, EVENT, 0.5, 1);

    assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-11-01T10:00:00.123456Z"));
  }

  @Test
  void availableAtIsTheLaterOfKnownAtAndEventTimePlusTheDelay() {
    LabelledExample knownEarly =
        new LabelledExample("a", EVENT, new double[] {1}, true, EVENT.plusSeconds(60), 0.5, 1);
    LabelledExample knownLate =
        new LabelledExample("b", EVENT, new double[] {1}, true, EVENT.plusSeconds(600), 0.5, 1);

    assertThat(knownEarly.availableAt(Duration.ofMinutes(5)))
        .isEqualTo(knownEarly.eventTime().plusSeconds(300));
    assertThat(knownLate.availableAt(Duration.ofMinutes(5))).isEqualTo(knownLate.knownAt());
  }

  @Test
  void featuresAreCopiedInAndOut() {
    double[] raw = {1, 2};
    LabelledExample e = new LabelledExample("tx", EVENT, raw, false, EVENT, 0.5, 1);
    raw[0] = 99;
    e.rawFeatures()[1] = 99;

    assertThat(e.rawFeatures()).containsExactly(1, 2);
  }

  @Test
  void aChampionScoreOutsideZeroToOneIsRefused() {
    assertThatThrownBy(
            () -> new LabelledExample("tx-bad", EVENT, new double[] {1}, false, EVENT, 1.5, 1))
        .hasMessageContaining("champion score of tx-bad is 1.5");
  }
}
