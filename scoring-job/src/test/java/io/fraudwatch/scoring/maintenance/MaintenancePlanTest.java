package io.fraudwatch.scoring.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MaintenancePlanTest {

  private static final Instant NOW = Instant.parse("2019-06-15T10:00:00Z");
  private static final MaintenanceConfig CONFIG =
      MaintenanceConfigTest.load(
          Map.of(
              "partitions.days-ahead",
              "3",
              "retention.scored-transactions",
              "40d",
              "retention.alerts",
              "30d"),
          Duration.ofDays(7));

  private static LocalDate day(String d) {
    return LocalDate.parse(d);
  }

  @Test
  void createsYesterdayToTheDaysAheadAndTheDefaultRowsDaysAndDropsWhatRetentionCuts() {
    TreeSet<LocalDate> existing =
        new TreeSet<>(java.util.List.of(day("2019-05-05"), day("2019-05-06"), day("2019-06-15")));
    TreeMap<LocalDate, Long> inDefault =
        new TreeMap<>(Map.of(day("2019-06-10"), 5L, day("2019-04-01"), 2L));

    MaintenancePlan plan =
        MaintenancePlan.of(
            NOW, CONFIG, Optional.empty(), existing, inDefault, Map.of(RetainedTable.ALERTS, 11L));

    // 40 days before 2019-06-15T10:00 is 2019-05-06T10:00: 2019-05-06 is kept whole, the days
    // before it go
    assertThat(plan.create())
        .containsExactly(
            day("2019-06-10"),
            day("2019-06-14"),
            day("2019-06-16"),
            day("2019-06-17"),
            day("2019-06-18"));
    assertThat(plan.moveFromDefault()).containsExactly(Map.entry(day("2019-06-10"), 5L));
    assertThat(plan.tooOld()).containsExactly(day("2019-04-01"));
    assertThat(plan.drop()).containsExactly(day("2019-05-05"));
    assertThat(plan.deletions())
        .filteredOn(d -> d.table() == RetainedTable.SCORED_TRANSACTIONS)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.rows()).as("the DEFAULT rows of too old days").isEqualTo(2);
              assertThat(d.cutoff()).contains(Instant.parse("2019-05-06T00:00:00Z"));
            });
    assertThat(plan.deletions())
        .filteredOn(d -> d.table() == RetainedTable.ALERTS)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.rows()).isEqualTo(11);
              assertThat(d.cutoff()).contains(NOW.minus(Duration.ofDays(30)));
            });
    assertThat(String.join("\n", plan.describe(CONFIG)))
        .contains("create 2019-06-10, 2019-06-14, 2019-06-16..2019-06-18 (5 days)")
        .contains("move 5 rows of 2019-06-10 out of the DEFAULT partition")
        .contains("drop 2019-05-05 (1 day)")
        .contains("delete 11 rows with event_time before 2019-05-16T10:00:00Z");
  }

  @Test
  void aRangeOutsideTheAcceptedEventTimesOrLongerThanTenYearsIsRefused() {
    assertThatThrownBy(() -> new MaintenancePlan.DayRange(day("0001-01-01"), day("2018-01-01")))
        .hasMessage(
            "the days must lie in 1970-01-01 .. 2261-12-31, the event times the job accepts");
    assertThatThrownBy(() -> new MaintenancePlan.DayRange(day("2018-01-01"), day("9999-12-31")))
        .hasMessageContaining("must lie in 1970-01-01 .. 2261-12-31");
    assertThatThrownBy(() -> new MaintenancePlan.DayRange(day("1970-01-01"), day("2261-12-31")))
        .hasMessage(
            "106,651 days in one range; at most 3,660 (ten years of daily partitions) at once");
    assertThat(new MaintenancePlan.DayRange(day("2018-01-01"), day("2028-01-08")).days())
        .hasSize(MaintenancePlan.DayRange.MAX_DAYS);
  }

  @Test
  void aRequestedRangeIsCreatedWhereRetentionKeepsItAndNothingIsCutWhatIsKeptForEver() {
    MaintenanceConfig keepAll =
        MaintenanceConfigTest.load(
            Map.of(
                "partitions.days-ahead",
                "0",
                "retention.scored-transactions",
                "0",
                "retention.alerts",
                "0"),
            Duration.ofDays(7));

    MaintenancePlan plan =
        MaintenancePlan.of(
            NOW,
            keepAll,
            Optional.of(new MaintenancePlan.DayRange(day("2018-04-01"), day("2018-04-03"))),
            new TreeSet<>(java.util.List.of(day("2018-04-02"))),
            new TreeMap<>(),
            Map.of());

    assertThat(plan.create())
        .containsExactly(
            day("2018-04-01"), day("2018-04-03"), day("2019-06-14"), day("2019-06-15"));
    assertThat(plan.drop()).isEmpty();
    assertThat(plan.deletions())
        .filteredOn(d -> d.table() == RetainedTable.ALERTS)
        .singleElement()
        .satisfies(d -> assertThat(d.cutoff()).isEmpty());
  }

  @Test
  void sessionsAreCutNoLaterThanTheScoredTransactionsTheJobRebuildsThemFrom() {
    MaintenanceConfig shorter =
        MaintenanceConfigTest.load(
            Map.of("retention.scored-transactions", "40d", "retention.sessions", "10d"),
            Duration.ofDays(7));
    MaintenanceConfig longer =
        MaintenanceConfigTest.load(
            Map.of("retention.scored-transactions", "40d", "retention.sessions", "100d"),
            Duration.ofDays(7));
    MaintenanceConfig scoredForEver =
        MaintenanceConfigTest.load(
            Map.of("retention.scored-transactions", "0", "retention.sessions", "10d"),
            Duration.ofDays(7));

    // the scored transactions' cutoff is the start of 2019-05-06 (40 days, whole days)
    assertThat(MaintenancePlan.cutoff(RetainedTable.SESSIONS, shorter, NOW))
        .contains(Instant.parse("2019-05-06T00:00:00Z"));
    assertThat(MaintenancePlan.cutoff(RetainedTable.SESSIONS, longer, NOW))
        .contains(NOW.minus(Duration.ofDays(100)));
    assertThat(MaintenancePlan.cutoff(RetainedTable.SESSIONS, scoredForEver, NOW)).isEmpty();
    assertThat(
            String.join(
                "\n",
                MaintenancePlan.of(
                        NOW,
                        shorter,
                        Optional.empty(),
                        new TreeSet<>(),
                        new TreeMap<>(),
                        Map.of(RetainedTable.SESSIONS, 4L))
                    .describe(shorter)))
        .contains("keep 10d (no longer than scored_transactions) delete 4 rows")
        .contains("delete 4 rows with session_end before 2019-05-06T00:00:00Z");
  }
}
