package io.fraudwatch.app.backtest;

import io.fraudwatch.models.SlotChange;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.Day;
import org.jfree.data.time.Hour;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/** The backtest's PNG plots, drawn headless with JFreeChart; all time axes in UTC. */
public final class BacktestCharts {
  public static final String DAILY_METRICS = "daily-metrics.png";
  public static final String ALERTS = "alerts.png";
  public static final String MODEL_VERSIONS = "model-versions.png";
  public static final String ADAPTATION = "adaptation.png";

  private static final TimeZone UTC = TimeZone.getTimeZone(ZoneOffset.UTC);
  private static final int WIDTH = 900;
  private static final int HEIGHT = 450;
  private static final BasicStroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private BacktestCharts() {}

  /**
   * Writes the four plots into {@code dir}, the champion's changes marked on the adaptation and
   * model-version plots; returns their file names.
   */
  public static List<String> write(
      BacktestResult result,
      List<PromotionTimeline.Change> changes,
      Optional<LocalDate> driftStart,
      Path dir)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    save(dailyMetrics(result), dir.resolve(DAILY_METRICS));
    save(adaptation(result, changes, driftStart), dir.resolve(ADAPTATION));
    save(alerts(result), dir.resolve(ALERTS));
    save(modelVersions(result, changes), dir.resolve(MODEL_VERSIONS));
    return List.of(DAILY_METRICS, ADAPTATION, ALERTS, MODEL_VERSIONS);
  }

  /**
   * Daily average precision of what alerted, of the learner and of the static bootstrap model; the
   * drift's start, and what alerted's recovery ({@link #recoveryMarkers}).
   */
  static JFreeChart adaptation(
      BacktestResult r, List<PromotionTimeline.Change> changes, Optional<LocalDate> driftStart) {
    TimeSeriesCollection data = new TimeSeriesCollection(UTC);
    data.addSeries(
        daily(
            "alerted (champion as promoted)",
            r.champion(),
            WindowEvaluation.DayEvaluation::averagePrecision));
    data.addSeries(
        daily(
            "static bootstrap model",
            r.staticModel(),
            WindowEvaluation.DayEvaluation::averagePrecision));
    r.challenger()
        .ifPresent(
            c ->
                data.addSeries(
                    daily(
                        "learner (challenger)",
                        c.evaluation(),
                        WindowEvaluation.DayEvaluation::averagePrecision)));
    JFreeChart chart =
        dailyChart(
            "Daily average precision, " + r.plan().testFrom() + ".." + r.plan().testTo(), data, r);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Color[] colours = {new Color(0xd6604d), new Color(0x777777), new Color(0x2166ac)};
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colours[i]);
      renderer.setSeriesStroke(i, i == 0 ? new BasicStroke(2.5f) : DASHED);
    }
    plot.setRenderer(renderer);
    driftStart.ifPresent(
        d -> {
          ValueMarker start =
              new ValueMarker(
                  d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                  Color.BLACK,
                  new BasicStroke(1.5f));
          start.setLabel("drift starts");
          start.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
          start.setLabelTextAnchor(TextAnchor.TOP_LEFT);
          plot.addDomainMarker(start);
          recoveryMarkers(plot, r.champion(), d);
        });
    championChanges(plot, changes);
    return chart;
  }

  /**
   * What alerted's recovery as the report's {@code recovery_days} measures it: a horizontal line at
   * its floor ({@link Recovery#TOLERANCE} under its pre-drift daily average precision) and a
   * vertical one on the day from which it stays above it. Nothing when the test window has no day
   * before the drift; no day line when it is not back by the window's end.
   */
  static void recoveryMarkers(XYPlot plot, WindowEvaluation alerted, LocalDate driftStart) {
    Recovery recovery = Recovery.of(alerted, driftStart);
    if (recovery.preDrift().isEmpty()) {
      return;
    }
    double floor = (1 - Recovery.TOLERANCE) * recovery.preDrift().getAsDouble();
    Color colour = new Color(0xd6604d);
    ValueMarker line =
        marker(
            floor,
            String.format(
                Locale.ROOT,
                "alerted's floor %.3f (pre-drift %.3f - %.0f %%)",
                floor,
                recovery.preDrift().getAsDouble(),
                100 * Recovery.TOLERANCE),
            colour);
    plot.addRangeMarker(line);
    recovery
        .recoveryDays()
        .ifPresent(
            days -> {
              ValueMarker back =
                  marker(
                      driftStart
                          .plusDays(days)
                          .atStartOfDay(ZoneOffset.UTC)
                          .toInstant()
                          .toEpochMilli(),
                      "alerted back after " + days + (days == 1 ? " day" : " days"),
                      colour);
              back.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
              back.setLabelTextAnchor(TextAnchor.TOP_LEFT);
              plot.addDomainMarker(back);
            });
  }

  /**
   * A vertical line where each new champion first scored (promotions green, rollbacks orange),
   * labelled with its version; the bootstrap's first promotion is not marked.
   */
  private static void championChanges(XYPlot plot, List<PromotionTimeline.Change> changes) {
    for (PromotionTimeline.Change c : changes) {
      if (c.fromVersion().isEmpty() || c.firstScored().isEmpty()) {
        continue;
      }
      boolean rollback = c.action() == SlotChange.Action.ROLLBACK;
      ValueMarker m =
          new ValueMarker(
              c.firstScored().get().toEpochMilli(),
              rollback ? new Color(0xe08214) : new Color(0x1b7837),
              new BasicStroke(1f));
      m.setLabel((rollback ? "rollback v" : "v") + c.toVersion());
      m.setLabelPaint(rollback ? new Color(0xe08214) : new Color(0x1b7837));
      m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addDomainMarker(m);
    }
  }

  static JFreeChart dailyMetrics(BacktestResult r) {
    TimeSeriesCollection data = new TimeSeriesCollection(UTC);
    data.addSeries(
        daily(
            "champion CP@" + r.k(),
            r.champion(),
            WindowEvaluation.DayEvaluation::cardPrecisionAtK));
    data.addSeries(daily("champion AUC ROC", r.champion(), WindowEvaluation.DayEvaluation::aucRoc));
    r.challenger()
        .ifPresent(
            c -> {
              data.addSeries(
                  daily(
                      "challenger CP@" + r.k(),
                      c.evaluation(),
                      WindowEvaluation.DayEvaluation::cardPrecisionAtK));
              data.addSeries(
                  daily(
                      "challenger AUC ROC",
                      c.evaluation(),
                      WindowEvaluation.DayEvaluation::aucRoc));
            });
    JFreeChart chart =
        dailyChart(
            "Daily card precision@"
                + r.k()
                + " and AUC ROC, "
                + r.plan().testFrom()
                + ".."
                + r.plan().testTo(),
            data,
            r);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Color[] colours = {new Color(0xd6604d), new Color(0x2166ac)};
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colours[i % 2]);
      renderer.setSeriesStroke(i, i < 2 ? new BasicStroke(2f) : DASHED);
    }
    plot.setRenderer(renderer);
    PublishedBaseline lr = PublishedBaseline.LOGISTIC_REGRESSION;
    plot.addRangeMarker(
        marker(lr.cardPrecisionAt100().getAsDouble(), "handbook LR CP@100", colours[0]));
    plot.addRangeMarker(marker(lr.aucRoc().getAsDouble(), "handbook LR AUC ROC", colours[1]));
    return chart;
  }

  /** Daily values in [0, 1] over the test window, a tick a day. */
  private static JFreeChart dailyChart(String title, TimeSeriesCollection data, BacktestResult r) {
    JFreeChart chart =
        ChartFactory.createTimeSeriesChart(title, "day (UTC)", "", data, true, false, false);
    XYPlot plot = style(chart);
    dailyTicks(plot, r.champion().days().size());
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.05);
    return chart;
  }

  static JFreeChart alerts(BacktestResult r) {
    TimeSeries alerts = new TimeSeries("alerts (champion)");
    TimeSeries frauds = new TimeSeries("frauds (truth)");
    for (BacktestResult.DayActivity d : r.activity()) {
      alerts.add(day(d.day()), d.alerts());
      frauds.add(day(d.day()), d.frauds());
    }
    TimeSeriesCollection data = new TimeSeriesCollection(UTC);
    data.addSeries(alerts);
    data.addSeries(frauds);
    JFreeChart chart =
        ChartFactory.createXYBarChart(
            "Alerts and frauds per day, all replayed days",
            "day (UTC)",
            true,
            "transactions",
            data);
    XYPlot plot = style(chart);
    dailyTicks(plot, r.activity().size());
    ClusteredXYBarRenderer renderer = new ClusteredXYBarRenderer(0.15, false);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, new Color(0xd6604d));
    renderer.setSeriesPaint(1, new Color(0x999999));
    plot.setRenderer(renderer);
    testWindowMarkers(plot, r);
    return chart;
  }

  static JFreeChart modelVersions(BacktestResult r, List<PromotionTimeline.Change> changes) {
    TimeSeries champion = new TimeSeries("champion version");
    TimeSeries challenger = new TimeSeries("challenger version");
    for (BacktestResult.VersionHour h : r.versions()) {
      Hour hour = new Hour(Date.from(h.hour()), UTC, Locale.ROOT);
      champion.add(hour, h.champion());
      if (h.challenger().isPresent()) {
        challenger.add(hour, h.challenger().getAsLong());
      }
    }
    TimeSeriesCollection data = new TimeSeriesCollection(UTC);
    data.addSeries(champion);
    if (!challenger.isEmpty()) {
      data.addSeries(challenger);
    }
    JFreeChart chart =
        ChartFactory.createXYStepChart(
            "Model versions scoring, by event time",
            "event time (UTC)",
            "version id",
            data,
            org.jfree.chart.plot.PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = style(chart);
    plot.getRenderer().setSeriesPaint(0, new Color(0xd6604d));
    plot.getRenderer().setSeriesPaint(1, new Color(0x2166ac));
    plot.getRenderer().setSeriesStroke(0, new BasicStroke(2.5f));
    plot.getRenderer().setSeriesStroke(1, DASHED);
    NumberAxis versions = (NumberAxis) plot.getRangeAxis();
    versions.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    versions.setAutoRangeIncludesZero(false);
    double max =
        r.versions().stream()
            .mapToDouble(h -> Math.max(h.champion(), h.challenger().orElse(0)))
            .max()
            .orElse(1);
    versions.setRange(0.5, max + 0.5);
    testWindowMarkers(plot, r);
    championChanges(plot, changes);
    return chart;
  }

  private static TimeSeries daily(
      String name,
      WindowEvaluation w,
      java.util.function.Function<WindowEvaluation.DayEvaluation, OptionalDouble> metric) {
    TimeSeries s = new TimeSeries(name);
    for (WindowEvaluation.DayEvaluation d : w.days()) {
      OptionalDouble v = metric.apply(d);
      if (v.isPresent()) {
        s.add(day(d.day()), v.getAsDouble());
      }
    }
    return s;
  }

  private static Day day(LocalDate d) {
    return new Day(Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant()), UTC, Locale.ROOT);
  }

  private static XYPlot style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    if (plot.getDomainAxis() instanceof DateAxis axis) {
      axis.setTimeZone(UTC);
    }
    return plot;
  }

  /** One label per day (or per few days on long windows), as month-day. */
  private static void dailyTicks(XYPlot plot, int days) {
    DateAxis axis = (DateAxis) plot.getDomainAxis();
    SimpleDateFormat format = new SimpleDateFormat("MM-dd", Locale.ROOT);
    format.setTimeZone(UTC);
    axis.setTickUnit(new DateTickUnit(DateTickUnitType.DAY, Math.max(1, (days + 13) / 14), format));
  }

  private static ValueMarker marker(double value, String label, Color colour) {
    ValueMarker m =
        new ValueMarker(
            value,
            colour,
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
    m.setLabel(label);
    m.setLabelPaint(colour);
    m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    return m;
  }

  /** Shades the test window on a plot of all replayed days. */
  private static void testWindowMarkers(XYPlot plot, BacktestResult r) {
    Instant from = r.plan().testStart();
    Instant to = r.plan().testEnd();
    org.jfree.chart.plot.IntervalMarker test =
        new org.jfree.chart.plot.IntervalMarker(
            from.toEpochMilli(),
            to.toEpochMilli(),
            new Color(0x2166ac),
            new BasicStroke(1f),
            null,
            null,
            0.08f);
    test.setLabel("test window");
    test.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    test.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(test);
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }
}
