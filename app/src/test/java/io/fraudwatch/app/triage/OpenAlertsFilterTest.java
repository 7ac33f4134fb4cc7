package io.fraudwatch.app.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAlertsFilterTest {

  @Test
  void noFilterIsTheOldestOpenAlertsUpToTheLimit() {
    OpenAlertsFilter f =
        new OpenAlertsFilter(Optional.empty(), Optional.empty(), Optional.empty(), 50);

    assertThat(f.sql())
        .contains(
            "FROM fraudwatch.open_alerts WHERE true ORDER BY event_time, transaction_id LIMIT ?")
        .doesNotContain("customer_id =", "terminal_id =", "event_time >=");
    assertThat(f.parameters()).containsExactly(50);
  }

  @Test
  void eachFilterAddsItsConditionAndItsParameterInOrder() {
    Instant since = Instant.parse("2018-08-08T00:00:00Z");
    OpenAlertsFilter f =
        new OpenAlertsFilter(Optional.of(since), Optional.of("C7"), Optional.of("T9"), 10);

    assertThat(f.sql())
        .contains("AND event_time >= ? AND customer_id = ? AND terminal_id = ? ORDER BY");
    assertThat(f.parameters()).isEqualTo(List.of(since, "C7", "T9", 10));
  }

  @Test
  void refusesALimitOutOfRangeAndBlankIds() {
    assertThatThrownBy(
            () -> new OpenAlertsFilter(Optional.empty(), Optional.empty(), Optional.empty(), 0))
        .hasMessage("--limit must be 1..10000, got 0");
    assertThatThrownBy(
            () ->
                new OpenAlertsFilter(Optional.empty(), Optional.empty(), Optional.empty(), 10_001))
        .hasMessageContaining("10001");
    assertThatThrownBy(
            () -> new OpenAlertsFilter(Optional.empty(), Optional.of(" "), Optional.empty(), 5))
        .hasMessage("--customer must not be blank");
    assertThatThrownBy(
            () -> new OpenAlertsFilter(Optional.empty(), Optional.empty(), Optional.of(""), 5))
        .hasMessage("--terminal must not be blank");
  }
}
