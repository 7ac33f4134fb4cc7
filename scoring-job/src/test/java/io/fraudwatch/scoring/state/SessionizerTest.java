package io.fraudwatch.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionizerTest {
  private static final long GAP = Duration.ofMinutes(30).toMillis();
  private static final long MIN = 60_000;

  private static StoredEvent at(long minute, String terminal, long cents, boolean alert) {
    return new StoredEvent("C1", terminal, "BE", minute * MIN, cents, alert);
  }

  @Test
  void aTransactionMoreThanTheGapAfterTheLastEndsTheSession() {
    Sessionizer.Folded f =
        Sessionizer.fold(
            null,
            List.of(
                at(0, "T1", 1000, false),
                at(20, "T2", 250, true),
                at(50, "T1", 100, false), // 30 min after the last: still the same session
                at(81, "T3", 700, false)),
            GAP);

    assertThat(f.closed())
        .containsExactly(new Session("C1", 0, 50 * MIN, 3, 1350, Set.of("T1", "T2"), 1));
    assertThat(f.open()).isEqualTo(new Session("C1", 81 * MIN, 81 * MIN, 1, 700, Set.of("T3"), 0));
  }

  @Test
  void aBatchContinuesTheOpenSessionAndIsTakenInEventTimeOrder() {
    Session open = Session.start(at(0, "T1", 100, false));

    Sessionizer.Folded f =
        Sessionizer.fold(open, List.of(at(45, "T2", 100, false), at(25, "T1", 100, true)), GAP);

    assertThat(f.closed()).isEmpty();
    assertThat(f.open()).isEqualTo(new Session("C1", 0, 45 * MIN, 3, 300, Set.of("T1", "T2"), 1));
  }

  @Test
  void nothingNewLeavesTheOpenSessionAsItWas() {
    Session open = Session.start(at(0, "T1", 100, false));

    assertThat(Sessionizer.fold(open, List.of(), GAP))
        .isEqualTo(new Sessionizer.Folded(List.of(), open, 0));
    assertThat(Sessionizer.fold(null, List.of(), GAP).open()).isNull();
  }

  @Test
  void aTransactionMoreThanTheGapBeforeTheOpenSessionIsLeftOutNotStretchingItBack() {
    Session open = Session.start(at(3000, "T1", 100, false));

    Sessionizer.Folded f =
        Sessionizer.fold(
            open,
            List.of(
                at(100, "T9", 900, true), // days before: its session ended long ago
                at(2975, "T2", 200, false), // within the gap before the start: this session
                at(3010, "T3", 300, false)),
            GAP);

    assertThat(f.late()).isEqualTo(1);
    assertThat(f.closed()).isEmpty();
    assertThat(f.open())
        .isEqualTo(new Session("C1", 2975 * MIN, 3010 * MIN, 3, 600, Set.of("T1", "T2", "T3"), 0));
  }
}
