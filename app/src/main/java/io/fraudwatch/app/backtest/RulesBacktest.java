package io.fraudwatch.app.backtest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.metrics.DecisionMetrics;
import io.fraudwatch.models.metrics.RankingMetrics;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleDecision;
import io.fraudwatch.models.rules.RuleFile;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.apache.spark.sql.SparkSession;

/**
 * {@code backtest --rules FILE}: the file's rules are enabled before the replay, so the job decides
 * with them as in production; afterwards the test window's scored rows say what the model alone,
 * the rules alone and the combined decision flagged, measured against the labels.
 */
public final class RulesBacktest {
  private RulesBacktest() {}

  /** Stores and enables the file's rules (checked by Spark SQL first) with the operator's login. */
  public static RuleFile.Outcome install(DataSource operator, List<RuleFile.Entry> entries) {
    SparkSession spark = RuleSpark.local();
    try {
      RuleCompiler compiler = new RuleCompiler(spark, HandbookFeatures.SCHEMA);
      return RuleFile.apply(
          new RuleStore(operator), entries, "backtest", "backtest --rules", compiler::check);
    } finally {
      spark.stop();
    }
  }

  /** A decision's figures: overall and per day. */
  public record DecisionJson(
      @JsonProperty("auc_roc") Double aucRoc,
      @JsonProperty("average_precision") Double averagePrecision,
      long flagged,
      @JsonProperty("true_positives") long truePositives,
      Double precision,
      Double recall,
      @JsonProperty("card_precision_at_100") Double cardPrecision,
      @JsonProperty("per_day") List<DayJson> perDay) {}

  public record DayJson(
      String date,
      long flagged,
      Double precision,
      Double recall,
      @JsonProperty("card_precision_at_100") double cardPrecision) {}

  /** The backtest's report with the three decisions beside it. */
  public record Report(
      @JsonUnwrapped Object backtest,
      @JsonProperty("rules_file") String rulesFile,
      @JsonProperty("rules_enabled") List<String> rulesEnabled,
      DecisionJson model,
      @JsonProperty("rules") DecisionJson rulesDecision,
      DecisionJson combined) {}

  /** The three decisions. */
  public record Decisions(DecisionJson model, DecisionJson rules, DecisionJson combined) {
    /** A plain-text table for the console. */
    public String table() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT,
              "%-10s %8s %8s %9s %7s %11s%n",
              "decision",
              "flagged",
              "fraud",
              "precision",
              "recall",
              "card p@100"));
      row(t, "model", model);
      row(t, "rules", rules);
      row(t, "combined", combined);
      return t.toString();
    }

    private static void row(StringBuilder t, String name, DecisionJson d) {
      t.append(
          String.format(
              Locale.ROOT,
              "%-10s %8d %8d %9s %7s %11s%n",
              name,
              d.flagged(),
              d.truePositives(),
              fmt(d.precision()),
              fmt(d.recall()),
              fmt(d.cardPrecision())));
    }

    private static String fmt(Double v) {
      return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
  }

  /**
   * The test window's decisions from the scored rows; the truth from {@code replayed} (by
   * transaction id), rule actions from the file.
   */
  public static Decisions evaluate(
      DataSource db,
      Instant from,
      Instant to,
      List<ReplayTransaction> replayed,
      Map<String, RuleAction> actions)
      throws SQLException {
    Map<String, ReplayTransaction> labels = new HashMap<>();
    replayed.forEach(r -> labels.put(r.transactionId(), r));
    List<DecisionMetrics.Decided> model = new ArrayList<>();
    List<DecisionMetrics.Decided> rules = new ArrayList<>();
    List<DecisionMetrics.Decided> combined = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    List<Boolean> frauds = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement st =
          c.prepareStatement(
              "SELECT transaction_id, event_time, customer_id, score, coalesce(model_alert, alert),"
                  + " alert, rule_hits FROM fraudwatch.scored_transactions"
                  + " WHERE event_time >= ? AND event_time < ?")) {
        st.setFetchSize(10_000);
        st.setObject(1, from.atOffset(ZoneOffset.UTC));
        st.setObject(2, to.atOffset(ZoneOffset.UTC));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ReplayTransaction label = labels.get(rs.getString(1));
            if (label == null) {
              continue;
            }
            LocalDate day =
                rs.getObject(2, OffsetDateTime.class)
                    .toInstant()
                    .atZone(ZoneOffset.UTC)
                    .toLocalDate();
            String card = rs.getString(3);
            double score = rs.getDouble(4);
            boolean fraud = label.fraud();
            List<RuleDecision.Hit> hits = new ArrayList<>();
            for (String name : (String[]) rs.getArray(7).getArray()) {
              hits.add(new RuleDecision.Hit(name, actions.getOrDefault(name, RuleAction.REVIEW)));
            }
            model.add(new DecisionMetrics.Decided(card, day, score, fraud, rs.getBoolean(5)));
            rules.add(
                new DecisionMetrics.Decided(
                    card, day, score, fraud, RuleDecision.rulesAlert(hits)));
            combined.add(new DecisionMetrics.Decided(card, day, score, fraud, rs.getBoolean(6)));
            scores.add(score);
            frauds.add(fraud);
          }
        }
        c.commit();
      }
    }
    double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] f = new boolean[frauds.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = frauds.get(i);
    }
    return new Decisions(
        json(
            DecisionMetrics.of(model, 100),
            RankingMetrics.aucRoc(s, f),
            RankingMetrics.averagePrecision(s, f)),
        json(DecisionMetrics.of(rules, 100), OptionalDouble.empty(), OptionalDouble.empty()),
        json(DecisionMetrics.of(combined, 100), OptionalDouble.empty(), OptionalDouble.empty()));
  }

  private static DecisionJson json(
      DecisionMetrics.Result r, OptionalDouble auc, OptionalDouble ap) {
    List<DayJson> days = new ArrayList<>();
    for (DecisionMetrics.Day d : r.days()) {
      days.add(
          new DayJson(
              d.day().toString(),
              d.figures().flagged(),
              boxed(d.figures().precision()),
              boxed(d.figures().recall()),
              d.cardPrecision()));
    }
    return new DecisionJson(
        boxed(auc),
        boxed(ap),
        r.overall().flagged(),
        r.overall().truePositives(),
        boxed(r.overall().precision()),
        boxed(r.overall().recall()),
        boxed(r.cardPrecision()),
        days);
  }

  private static Double boxed(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }
}
