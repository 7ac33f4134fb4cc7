package io.fraudwatch.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.app.ReportMaps;
import io.fraudwatch.app.demo.DemoSummary.Alert;
import io.fraudwatch.app.demo.DemoSummary.ReasonCount;
import io.fraudwatch.app.pipeline.ModelVersionLine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {

  private static final List<ModelVersionLine> ONE_VERSION =
      List.of(new ModelVersionLine(1, "batch", "champion", Map.of("validation.auc_roc", 0.87)));

  @Test
  void precisionIsTheShareOfAlertsOnSimulatedFraudAndRecallTheShareOfFraudAlerted() {
    List<Alert> alerts =
        List.of(
            new Alert("1", List.of("TERMINAL_RISK_1D:+2.31", "AMOUNT:+0.50")),
            new Alert("2", List.of("AMOUNT:+1.10")),
            new Alert("3", List.of("TERMINAL_RISK_1D:+0.90")),
            new Alert("9", List.of()));

    DemoSummary s =
        DemoSummary.of(100, Set.of("1", "3", "5", "7", "8"), 98, alerts, 4.0, 2, ONE_VERSION);

    assertThat(s.alerts()).isEqualTo(4);
    assertThat(s.fraudAlerts()).isEqualTo(2);
    assertThat(s.alertPrecision().getAsDouble()).isCloseTo(0.5, within(1e-12));
    assertThat(s.fraudRecall().getAsDouble()).isCloseTo(0.4, within(1e-12));
    assertThat(s.eventsPerSecond()).isCloseTo(24.5, within(1e-12));
    assertThat(s.topReasons())
        .containsExactly(new ReasonCount("TERMINAL_RISK_1D", 2), new ReasonCount("AMOUNT", 1));
  }

  @Test
  void withoutAlertsOrFraudsTheRatiosAreUndefinedNotZero() throws Exception {
    DemoSummary s = DemoSummary.of(10, Set.of(), 10, List.of(), 0, 0, List.of());

    assertThat(s.alertPrecision()).isEmpty();
    assertThat(s.fraudRecall()).isEmpty();
    assertThat(s.eventsPerSecond()).isZero();
    Map<String, Object> report = ReportMaps.asWritten(s.report(Map.of()));
    assertThat(report).containsEntry("alert_precision", null).containsEntry("fraud_recall", null);
    assertThat(s.table()).contains("alert precision        - (none)");
  }

  @Test
  void topReasonsKeepTheMostFrequentFirstFeaturesTiesByName() {
    List<Alert> alerts = new java.util.ArrayList<>();
    String[] features = {"F", "E", "D", "C", "B", "A"};
    for (int i = 0; i < features.length; i++) {
      for (int n = 0; n <= i % 3; n++) {
        alerts.add(new Alert(features[i] + n, List.of(features[i] + ":+1.00")));
      }
    }

    assertThat(DemoSummary.topReasons(alerts))
        .extracting(ReasonCount::feature)
        .containsExactly("A", "D", "B", "E", "C");
  }

  @Test
  void reportCarriesTheKeysAndTheSettings() throws Exception {
    DemoSummary s =
        DemoSummary.of(
            3,
            Set.of("1"),
            3,
            List.of(new Alert("1", List.of("AMOUNT:+3.00"))),
            1.5,
            0,
            ONE_VERSION);

    Map<String, Object> report = ReportMaps.asWritten(s.report(Map.of("seed", 7L)));

    assertThat(report)
        .containsEntry("transactions_scored", 3L)
        .containsEntry("alerts", 1L)
        .containsEntry("alert_precision", 1.0)
        .containsEntry("events_per_second", 2.0)
        .containsEntry("dead_letters", 0L)
        .containsEntry("settings", Map.of("seed", 7L))
        .containsEntry("top_reason_codes", List.of(Map.of("feature", "AMOUNT", "alerts", 1L)));
    assertThat(report.get("model_versions"))
        .asList()
        .singleElement()
        .isEqualTo(
            Map.of(
                "id",
                1L,
                "kind",
                "batch",
                "slot",
                "champion",
                "metrics",
                Map.of("validation.auc_roc", 0.87)));
  }

  @Test
  void showsTheBootstrapVersionAndTheNewestOnlineOnesWithTheirMetrics() {
    List<ModelVersionLine> versions = new java.util.ArrayList<>(ONE_VERSION);
    for (long id = 2; id <= 6; id++) {
      versions.add(
          new ModelVersionLine(
              id,
              "online",
              id == 6 ? "challenger" : "",
              Map.of(
                  "online.labels_learned",
                  1000.0 * id,
                  "prequential.labels",
                  5000.0,
                  "prequential.auc_roc",
                  0.8 + id / 100.0,
                  "prequential.average_precision",
                  0.5,
                  "prequential.champion_auc_roc",
                  0.84,
                  "prequential.champion_average_precision",
                  0.45)));
    }

    String table = DemoSummary.of(10, Set.of(), 10, List.of(), 1, 0, versions).table();

    assertThat(table)
        .contains(
            "v1 batch champion: validation AUC 0.870\n",
            "v6 online challenger: learned 6,000 labels; prequential AUC 0.860, AP 0.500 on the last 5,000 labels"
                + " (champion on them: AUC 0.840, AP 0.450)");
    assertThat(table).contains("v4 online", "v5 online").doesNotContain("v2 online", "v3 online");
  }
}
