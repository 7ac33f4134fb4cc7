package io.fraudwatch.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.features.HandbookFeatures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TrainingWindowTest {

  @Test
  void holdsOutTheLastDaysForValidation() {
    TrainingWindow w =
        new TrainingWindow(LocalDate.parse("2018-07-25"), LocalDate.parse("2018-07-31"), 2);
    assertThat(w.validationFrom()).isEqualTo(LocalDate.parse("2018-07-30"));
    assertThat(w.start()).isEqualTo(Instant.parse("2018-07-25T00:00:00Z"));
    assertThat(w.validationStart()).isEqualTo(Instant.parse("2018-07-30T00:00:00Z"));
    assertThat(w.endExclusive()).isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
  }

  @Test
  void historyReachesBackOverTheLabelDelayAndTheLongestWindow() {
    TrainingWindow w =
        new TrainingWindow(LocalDate.parse("2018-07-25"), LocalDate.parse("2018-07-31"), 2);
    assertThat(w.historyStart(HandbookFeatures.Config.DEFAULT))
        .isEqualTo(Instant.parse("2018-06-18T00:00:00Z"));
    assertThat(w.historyStart(new HandbookFeatures.Config(Duration.ofHours(1))))
        .isEqualTo(Instant.parse("2018-06-24T23:00:00Z"));
  }

  @Test
  void refusesWindowsWithoutATrainingDay() {
    LocalDate day = LocalDate.parse("2018-07-31");
    assertThatThrownBy(() -> new TrainingWindow(day, day, 1))
        .hasMessageContaining("leaves no training day");
    assertThatThrownBy(() -> new TrainingWindow(day.minusDays(1), day, 2))
        .hasMessageContaining("leaves no training day");
    assertThatThrownBy(() -> new TrainingWindow(day, day.minusDays(1), 1))
        .hasMessageContaining("before it starts");
    assertThatThrownBy(() -> new TrainingWindow(day.minusDays(3), day, 0))
        .hasMessageContaining("at least 1 day");
    assertThat(new TrainingWindow(day.minusDays(1), day, 1).validationFrom()).isEqualTo(day);
  }
}
