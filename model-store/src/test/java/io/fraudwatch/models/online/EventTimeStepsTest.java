package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.T0;
import static io.fraudwatch.models.online.Examples.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTimeStepsTest {

  private static final Duration DELAY = Duration.ofDays(7);
  private final EventTimeSteps steps = new EventTimeSteps(Duration.ofHours(6), DELAY);

  /** An example available at {@code T0 + hours} (its transaction one label delay earlier). */
  private static LabelledExample availableAfter(String id, Duration sinceT0) {
    Instant event = T0.plus(sinceT0).minus(DELAY);
    return example(id, event, event, false);
  }

  @Test
  void releasesOnlyCompletedSteps() {
    assertThat(steps.releasableUpTo(T0.plus(Duration.ofHours(5)).plusSeconds(3599))).isEqualTo(T0);
    assertThat(steps.releasableUpTo(T0.plus(Duration.ofHours(6))))
        .isEqualTo(T0.plus(Duration.ofHours(6)));
    assertThat(steps.releasableUpTo(T0.plus(Duration.ofHours(13))))
        .isEqualTo(T0.plus(Duration.ofHours(12)));
  }

  @Test
  void splitsByStepWithTheBoundaryInTheEarlierStep() {
    LabelledExample a = availableAfter("a", Duration.ofMinutes(1));
    LabelledExample b = availableAfter("b", Duration.ofHours(6));
    LabelledExample c = availableAfter("c", Duration.ofHours(6).plusNanos(1_000));
    LabelledExample d = availableAfter("d", Duration.ofHours(11));
    LabelledExample e = availableAfter("e", Duration.ofHours(30));

    assertThat(steps.split(List.of(a, b, c, d, e)))
        .containsExactly(List.of(a, b), List.of(c, d), List.of(e));
    assertThat(steps.endOf(c.availableAt(DELAY))).isEqualTo(T0.plus(Duration.ofHours(12)));
  }

  @Test
  void refusesExamplesOutOfOrderAndBadSteps() {
    assertThatThrownBy(
            () ->
                steps.split(
                    List.of(
                        availableAfter("late", Duration.ofHours(13)),
                        availableAfter("early", Duration.ofHours(1)))))
        .hasMessageContaining("out of available-at order");
    assertThatThrownBy(() -> new EventTimeSteps(Duration.ZERO, DELAY))
        .hasMessageContaining("positive");
  }
}
