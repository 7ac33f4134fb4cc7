package io.fraudwatch.scoring.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceConfigTest {

  static MaintenanceConfig load(Map<String, String> flags, Duration labelDelay) {
    return MaintenanceConfig.from(
        Settings.load(MaintenanceConfig.KEYS, Optional.empty(), Map.of(), flags), labelDelay);
  }

  @Test
  void defaultsKeepEveryTableLongerThanTheJobNeedsWithTheDefaultLabelDelay() {
    MaintenanceConfig c = load(Map.of(), Duration.ofDays(7));

    assertThat(c.daysAhead()).isEqualTo(7);
    assertThat(c.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.retention(RetainedTable.SCORED_TRANSACTIONS)).isEqualTo(Duration.ofDays(90));
    assertThat(c.retention(RetainedTable.TRANSACTION_HISTORY)).isEqualTo(Duration.ofDays(60));
    assertThat(c.retention(RetainedTable.ALERTS)).isEqualTo(Duration.ofDays(365));
    assertThat(MaintenanceConfig.minimumForJob(Duration.ofDays(7))).isEqualTo(Duration.ofDays(38));
  }

  @Test
  void aRetentionShorterThanTheFeatureWindowsPlusTheLabelDelayIsRefusedWithWhatIsNeeded() {
    assertThatThrownBy(() -> load(Map.of("retention.history", "30d"), Duration.ofDays(7)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("retention.history: must be 0 (keep for ever) or at least 38d")
        .hasMessageContaining("from flag --set retention.history");
    // the same figure is fine for a table the job never reads back
    assertThat(
            load(Map.of("retention.alerts", "30d"), Duration.ofDays(7))
                .retention(RetainedTable.ALERTS))
        .isEqualTo(Duration.ofDays(30));
    // a longer label delay raises the floor: the defaults no longer do for the history
    assertThatThrownBy(() -> load(Map.of(), Duration.ofDays(30)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at least 61d");
    assertThatThrownBy(() -> load(Map.of("retention.batch-metrics", "2h"), Duration.ofDays(7)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at least 1d");
  }

  @Test
  void zeroKeepsForEver() {
    MaintenanceConfig c =
        load(
            Map.of("retention.scored-transactions", "0", "retention.labels", "0"),
            Duration.ofDays(7));

    assertThat(c.retention(RetainedTable.SCORED_TRANSACTIONS)).isZero();
    assertThat(c.retention(RetainedTable.LABELS)).isZero();
  }
}
