package io.fraudwatch.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityTest {

  @Test
  void whatLeavesTheWindowIsSubtractedExactly() {
    Activity a = Activity.of(new StoredEvent("C", "T", "BE", 0, 10, false));
    Activity b = Activity.of(new StoredEvent("C", "T", "BE", 1, 20, true));

    Activity window = a.plus(b);

    assertThat(window).isEqualTo(new Activity(2, 1, 30));
    assertThat(window.minus(a)).isEqualTo(b);
    assertThat(window.minus(a).minus(b).isEmpty()).isTrue();
  }

  @Test
  void anEventCountsForItsTerminalAndItsCountry() {
    assertThat(ActivityKey.of(new StoredEvent("C", "T7", "unknown", 0, 1, false)))
        .containsExactly(
            new ActivityKey(ActivityKey.Kind.TERMINAL, "T7"),
            new ActivityKey(ActivityKey.Kind.COUNTRY, "unknown"));
  }

  @Test
  void amountsAreCountedInCents() {
    assertThat(StoredEvent.cents(new BigDecimal("12.34"))).isEqualTo(1234);
    assertThat(StoredEvent.cents(new BigDecimal("0.10"))).isEqualTo(10);
    assertThat(List.of(StoredEvent.cents(new BigDecimal("7")))).containsExactly(700L);
  }
}
