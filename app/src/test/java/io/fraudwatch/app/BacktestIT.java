package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.backtest.BacktestCharts;
import io.fraudwatch.app.backtest.BacktestPlan;
import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.simulator.DriftScenario;
import io.fraudwatch.simulator.HandbookCsvWriter;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch backtest` as a user runs it, on a small simulation written as handbook CSV (two
 * files: one gzip, one plain with its columns in another order): embedded services, bootstrap,
 * replay through Kafka into the job, report. Its figures equal an independent recomputation from
 * the scored rows left in PostgreSQL and the simulator's truth, with the handbook's rules written
 * out naively here. A test day has label noise (the label-noise scenario's extra column): the
 * figures are still those of the truth.
 */
class BacktestIT {
  private static final SimulationParameters SIMULATION =
      SimulationParameters.builder()
          .customers(300)
          .terminals(600)
          .days(40)
          .seed(5)
          .drift(new DriftScenario.LabelNoise(36, 0.3))
          .build();
  private static final LocalDate NOISY_DAY = LocalDate.of(2018, 5, 7);

  /** The window around the drift that the manifest gives: a week before it to the last day. */
  private static final LocalDate TEST_FROM = NOISY_DAY.minusDays(BacktestPlan.PRE_DRIFT_DAYS);

  private static final LocalDate TEST_TO = LocalDate.of(2018, 5, 10);
  private static final Duration DELAY = Duration.ofDays(7);

  @TempDir Path tmp;

  @Test
  @Timeout(600)
  void backtestReportsTheHandbookMetricsOfTheJobsScores() throws Exception {
    // setup
    List<SimulatedTransaction> all = Simulation.create(SIMULATION).transactions().toList();
    assertThat(all)
        .filteredOn(t -> t.reportedFraud() != t.fraud())
        .isNotEmpty()
        .allMatch(t -> day(t.eventTime()).equals(NOISY_DAY));
    Path first = tmp.resolve("first.csv.gz");
    Path second = tmp.resolve("second.csv");
    writeInTwoFiles(first, second);
    // the drift start comes from the manifest beside a file, as simulate writes it
    ScenarioManifest.of(
            second,
            DriftScenario.LabelNoise.NAME,
            SIMULATION,
            Optional.of(NOISY_DAY),
            all.size(),
            all.stream().filter(SimulatedTransaction::fraud).count())
        .writeFor(second);
    Path workDir = tmp.resolve("work");
    Path report = tmp.resolve("backtest.json");
    Path outDir = tmp.resolve("out");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    StopSignal neverStopped = new CountDownLatch(1)::await;

    // act
    int exit =
        FraudwatchCommand.run(
            Map.of(),
            neverStopped,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "backtest",
            "--csv",
            first.toString(),
            second.toString(),
            "--bootstrap-from",
            "2018-04-08",
            "--work-dir",
            workDir.toString(),
            "--report",
            report.toString(),
            "--out",
            outDir.toString(),
            // the bootstrap version stays champion, so the static model's figures must be exactly
            // the champion's
            "--set",
            "promotion.auto=false");

    // verify: the run
    assertThat(exit).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains("Drift from " + NOISY_DAY + " (" + SIMULATION.drift().describe() + ", from ")
        .contains("test " + TEST_FROM + ".." + TEST_TO);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    Instant replayStart = LocalDate.of(2018, 4, 23).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant testStart = TEST_FROM.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant testEnd = TEST_TO.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    long replayed =
        all.stream()
            .filter(t -> !t.eventTime().isBefore(replayStart) && t.eventTime().isBefore(testEnd))
            .count();
    assertThat(json.get("test_from").asText()).isEqualTo(TEST_FROM.toString());
    assertThat(json.get("test_to").asText()).isEqualTo(TEST_TO.toString());
    assertThat(json.get("drift_start_day").asText()).isEqualTo(NOISY_DAY.toString());
    assertThat(json.get("transactions_replayed").asLong()).isEqualTo(replayed);
    assertThat(json.get("transactions_not_scored").asLong()).isZero();
    assertThat(json.get("events_per_second").asDouble()).isPositive();
    assertThat(json.get("bootstrap").get("to").asText()).isEqualTo("2018-04-22");
    assertThat(json.get("per_day")).hasSize(11);
    assertThat(json.get("model_versions").get(0).get("kind").asText()).isEqualTo("batch");
    assertThat(out.toString())
        .contains("Fraudwatch champion (this run)", "Handbook logistic regression (batch)");
    assertThat(err.toString()).contains(String.format("produced %,d/%,d", replayed, replayed));
    String markdown = Files.readString(outDir.resolve(BacktestCommand.REPORT_FILE));
    assertThat(markdown)
        .contains("| Handbook logistic regression (batch) | 0.871 | 0.606 | 0.291 |")
        .contains("![daily metrics](" + BacktestCharts.DAILY_METRICS + ")");
    for (String png :
        List.of(
            BacktestCharts.DAILY_METRICS,
            BacktestCharts.ADAPTATION,
            BacktestCharts.ALERTS,
            BacktestCharts.MODEL_VERSIONS)) {
      assertThat(ImageIO.read(outDir.resolve(png).toFile())).as(png).isNotNull();
    }

    // verify: the figures, recomputed from the scored rows the job left in PostgreSQL
    Map<String, SimulatedTransaction> truth = new HashMap<>();
    all.forEach(t -> truth.put(Long.toString(t.transactionId()), t));
    List<Row> scored = new ArrayList<>();
    Set<Long> versionsInTest = new HashSet<>();
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(workDir.resolve("postgres"));
        Connection c = pg.superuserDataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT transaction_id, score, model_version FROM fraudwatch.scored_transactions")) {
      while (rs.next()) {
        SimulatedTransaction t = truth.get(rs.getString(1));
        if (!t.eventTime().isBefore(testStart)) {
          scored.add(
              new Row(
                  Integer.toString(t.customerId()),
                  day(t.eventTime()),
                  rs.getDouble(2),
                  t.fraud()));
          versionsInTest.add(rs.getLong(3));
        }
      }
    }
    long inTestWindow =
        all.stream()
            .filter(t -> !t.eventTime().isBefore(testStart) && t.eventTime().isBefore(testEnd))
            .count();
    assertThat(scored).hasSize((int) inTestWindow);
    assertThat(json.get("transactions").asLong()).isEqualTo(inTestWindow);
    // the handbook's test set: without cards with a fraud since its training week whose label was
    // known before the day
    // (a reported fraud: what the system was told)
    Instant countFrom = testStart.minus(DELAY).minus(Duration.ofDays(7));
    List<Row> assessed =
        scored.stream()
            .filter(
                r ->
                    all.stream()
                        .noneMatch(
                            t ->
                                t.reportedFraud()
                                    && Integer.toString(t.customerId()).equals(r.card())
                                    && !t.eventTime().isBefore(countFrom)
                                    && t.eventTime()
                                        .plus(DELAY)
                                        .isBefore(
                                            r.day().atStartOfDay(ZoneOffset.UTC).toInstant())))
            .toList();
    assertThat(json.get("transactions_assessed").asLong()).isEqualTo(assessed.size());
    assertThat(json.get("known_compromised_transactions_removed").asLong())
        .isEqualTo(scored.size() - assessed.size())
        .isPositive();
    assertThat(json.get("auc_roc").asDouble()).isCloseTo(pairwiseAuc(assessed), within(1e-9));
    assertThat(json.get("average_precision").asDouble())
        .isCloseTo(averagePrecision(assessed), within(1e-9));
    TreeMap<LocalDate, Double> cp = cardPrecisionAt100(assessed);
    assertThat(json.get("card_precision_at_100").asDouble())
        .isCloseTo(
            cp.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
            within(1e-9));
    // the static model rescored the stored features with the bootstrap version, champion
    // throughout: the same figures
    JsonNode models = json.get("models");
    assertThat(models.get("static").get("per_day")).hasSize(11);
    TreeMap<LocalDate, Double> dailyAp = new TreeMap<>();
    assessed.stream()
        .collect(Collectors.groupingBy(Row::day))
        .forEach(
            (d, rows) -> {
              if (rows.stream().anyMatch(Row::fraud)) {
                dailyAp.put(d, averagePrecision(rows));
              }
            });
    double preDrift =
        dailyAp.headMap(NOISY_DAY).values().stream()
            .mapToDouble(Double::doubleValue)
            .average()
            .orElseThrow();
    for (String model : List.of("static", "alerted")) {
      JsonNode m = models.get(model);
      assertThat(m.get("pre_drift_average_precision").asDouble())
          .as(model)
          .isCloseTo(preDrift, within(1e-9));
      Long back = daysUntilBack(dailyAp, preDrift);
      if (back == null) {
        assertThat(m.get("recovery_days").isNull()).as(model).isTrue();
      } else {
        assertThat(m.get("recovery_days").asLong()).as(model).isEqualTo(back);
      }
    }
    assertThat(versionsInTest).containsExactly(json.get("bootstrap").get("model_version").asLong());
    assertThat(models.get("static").get("auc_roc").asDouble())
        .isCloseTo(pairwiseAuc(assessed), within(1e-9));
    assertThat(models.get("static").get("average_precision").asDouble())
        .isCloseTo(averagePrecision(assessed), within(1e-9));
    for (JsonNode day : json.get("per_day")) {
      LocalDate d = LocalDate.parse(day.get("date").asText());
      List<Row> ofDay = assessed.stream().filter(r -> r.day().equals(d)).toList();
      assertThat(day.get("transactions_assessed").asLong()).isEqualTo(ofDay.size());
      assertThat(day.get("card_precision_at_100").asDouble())
          .as(d.toString())
          .isCloseTo(cp.get(d), within(1e-9));
      if (ofDay.stream().anyMatch(Row::fraud)) {
        assertThat(day.get("auc_roc").asDouble())
            .as(d.toString())
            .isCloseTo(pairwiseAuc(ofDay), within(1e-9));
        assertThat(day.get("average_precision").asDouble())
            .as(d.toString())
            .isCloseTo(averagePrecision(ofDay), within(1e-9));
      }
    }
  }

  private record Row(String card, LocalDate day, double score, boolean fraud) {}

  /**
   * Days from the drift to the first day from which every later day's average precision is at least
   * 90 % of {@code preDrift}; null when the last day is below.
   */
  private static Long daysUntilBack(TreeMap<LocalDate, Double> dailyAp, double preDrift) {
    LocalDate back = null;
    for (Map.Entry<LocalDate, Double> e : dailyAp.tailMap(NOISY_DAY).entrySet()) {
      if (e.getValue() < 0.9 * preDrift) {
        back = null;
      } else if (back == null) {
        back = e.getKey();
      }
    }
    return back == null ? null : ChronoUnit.DAYS.between(NOISY_DAY, back);
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  /**
   * The simulation as handbook CSV: the first 25 days gzip, the rest plain with the columns in
   * reverse order.
   */
  private static void writeInTwoFiles(Path first, Path second) throws Exception {
    StringWriter whole = new StringWriter();
    try (HandbookCsvWriter writer =
        new HandbookCsvWriter(whole, Simulation.create(SIMULATION).start(), true)) {
      writer.writeAll(Simulation.create(SIMULATION).iterator());
    }
    List<String> lines = whole.toString().lines().toList();
    StringBuilder early = new StringBuilder(lines.get(0)).append('\n');
    StringBuilder late = new StringBuilder(reversed(lines.get(0))).append('\n');
    for (String line : lines.subList(1, lines.size())) {
      if (line.split(",")[1].compareTo("2018-04-26") < 0) {
        early.append(line).append('\n');
      } else {
        late.append(reversed(line)).append('\n');
      }
    }
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(first))) {
      o.write(early.toString().getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(second, late);
  }

  private static String reversed(String csvLine) {
    List<String> fields = new ArrayList<>(List.of(csvLine.split(",", -1)));
    java.util.Collections.reverse(fields);
    return String.join(",", fields);
  }

  /** Every (fraud, genuine) pair: 1 when the fraud scores higher, 1/2 on a tie. */
  private static double pairwiseAuc(List<Row> rows) {
    double right = 0;
    long pairs = 0;
    for (Row f : rows) {
      if (f.fraud()) {
        for (Row g : rows) {
          if (!g.fraud()) {
            pairs++;
            right += f.score() > g.score() ? 1 : f.score() == g.score() ? 0.5 : 0;
          }
        }
      }
    }
    return right / pairs;
  }

  /**
   * Sum over the distinct thresholds, highest first, of (recall gained) x (precision at the
   * threshold).
   */
  private static double averagePrecision(List<Row> rows) {
    long frauds = rows.stream().filter(Row::fraud).count();
    double ap = 0;
    long previousTruePositives = 0;
    for (double threshold :
        rows.stream()
            .mapToDouble(Row::score)
            .distinct()
            .boxed()
            .sorted(Comparator.reverseOrder())
            .toList()) {
      long selected = rows.stream().filter(r -> r.score() >= threshold).count();
      long truePositives = rows.stream().filter(r -> r.score() >= threshold && r.fraud()).count();
      ap += (double) (truePositives - previousTruePositives) / frauds * truePositives / selected;
      previousTruePositives = truePositives;
    }
    return ap;
  }

  /**
   * Per day: cards by their highest score (ties by id), the top 100 checked, found cards gone on
   * later days.
   */
  private static TreeMap<LocalDate, Double> cardPrecisionAt100(List<Row> rows) {
    TreeMap<LocalDate, Double> perDay = new TreeMap<>();
    Set<String> found = new HashSet<>();
    for (LocalDate d : rows.stream().map(Row::day).distinct().sorted().toList()) {
      Map<String, Double> score = new HashMap<>();
      Set<String> compromised = new HashSet<>();
      rows.stream()
          .filter(r -> r.day().equals(d) && !found.contains(r.card()))
          .forEach(
              r -> {
                score.merge(r.card(), r.score(), Math::max);
                if (r.fraud()) {
                  compromised.add(r.card());
                }
              });
      List<String> top =
          score.keySet().stream()
              .sorted(
                  Comparator.comparing((String card) -> -score.get(card))
                      .thenComparingLong(Long::parseLong))
              .limit(100)
              .toList();
      List<String> hits = top.stream().filter(compromised::contains).toList();
      found.addAll(hits);
      perDay.put(d, hits.size() / 100.0);
    }
    return perDay;
  }
}
