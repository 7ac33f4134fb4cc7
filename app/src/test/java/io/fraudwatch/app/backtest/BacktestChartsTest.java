package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;

class BacktestChartsTest {
  private static final LocalDate FIRST = LocalDate.parse("2018-09-01");

  /** A day whose one fraud ranks first (AP 1) or last of five (AP 0.2). */
  private static List<ScoredOutcome> day(LocalDate day, boolean fraudFirst) {
    List<ScoredOutcome> out = new ArrayList<>();
    out.add(new ScoredOutcome("fraud-" + day, day, fraudFirst ? 0.9 : 0.1, true));
    for (int i = 0; i < 4; i++) {
      out.add(new ScoredOutcome("genuine-" + i, day, 0.5 + i / 100.0, false));
    }
    return out;
  }

  private static WindowEvaluation days(boolean... fraudFirst) {
    List<ScoredOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < fraudFirst.length; i++) {
      outcomes.addAll(day(FIRST.plusDays(i), fraudFirst[i]));
    }
    return WindowEvaluation.of(outcomes, FIRST, FIRST.plusDays(fraudFirst.length - 1), 100);
  }

  private static List<Double> values(Collection<?> markers) {
    return markers == null
        ? List.of()
        : markers.stream().map(m -> ((ValueMarker) m).getValue()).toList();
  }

  @Test
  void theFloorAndTheDayFromWhichWhatAlertedStaysAboveIt() {
    XYPlot plot = new XYPlot();

    // AP 1 before the drift (09-02), 0.2 on 09-02 and 09-03, 1 from 09-04
    BacktestCharts.recoveryMarkers(plot, days(true, false, false, true, true), FIRST.plusDays(1));

    assertThat(values(plot.getRangeMarkers(Layer.FOREGROUND))).containsExactly(0.9);
    assertThat(((ValueMarker) plot.getRangeMarkers(Layer.FOREGROUND).iterator().next()).getLabel())
        .contains("floor 0.900 (pre-drift 1.000 - 10 %)");
    assertThat(values(plot.getDomainMarkers(Layer.FOREGROUND)))
        .containsExactly(
            (double) FIRST.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    assertThat(((ValueMarker) plot.getDomainMarkers(Layer.FOREGROUND).iterator().next()).getLabel())
        .isEqualTo("alerted back after 2 days");
  }

  @Test
  void noDayLineWhenNotBackAndNothingWithoutADayBeforeTheDrift() {
    XYPlot notBack = new XYPlot();
    XYPlot noBefore = new XYPlot();

    BacktestCharts.recoveryMarkers(notBack, days(true, false, true, false), FIRST.plusDays(1));
    BacktestCharts.recoveryMarkers(noBefore, days(false, true), FIRST);

    assertThat(values(notBack.getRangeMarkers(Layer.FOREGROUND))).containsExactly(0.9);
    assertThat(values(notBack.getDomainMarkers(Layer.FOREGROUND))).isEmpty();
    assertThat(values(noBefore.getRangeMarkers(Layer.FOREGROUND))).isEmpty();
    assertThat(values(noBefore.getDomainMarkers(Layer.FOREGROUND))).isEmpty();
  }
}
