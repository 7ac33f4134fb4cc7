package io.fraudwatch.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rule stage's cost per event with 0, 10, 100 active rules, measured the two ways a rule set
 * can run: compiled once per batch and evaluated inside the partition task (what the job does:
 * {@link CompiledRules}), and a DataFrame per batch (the batch's enriched rows as a local
 * DataFrame, one column per rule, collected). Seeded synthetic enriched rows; batches of {@link
 * #BATCH} events; local Spark with one core.
 */
public final class RuleStageBench {
  static final int BATCH = 2_000;

  private RuleStageBench() {}

  public record Figure(
      int rules,
      @JsonProperty("compiled_ns_per_event") double compiledNsPerEvent,
      @JsonProperty("dataframe_ns_per_event") double dataFrameNsPerEvent) {}

  /** The figures for each count, {@code events} events each way. */
  public static List<Figure> measure(List<Integer> counts, int events) {
    SparkSession spark = RuleSpark.local();
    try {
      RuleCompiler compiler = new RuleCompiler(spark, HandbookFeatures.SCHEMA);
      List<CompiledRules.Scored> rows = rows(BATCH);
      List<Figure> figures = new ArrayList<>();
      for (int n : counts) {
        List<RuleVersion> rules = rules(n);
        // warm-up, then the measured laps
        compiled(compiler, rules, rows, BATCH);
        double compiled = compiled(compiler, rules, rows, events);
        if (n > 0) {
          dataFrame(spark, rules, rows, BATCH);
        }
        double frame = n == 0 ? 0 : dataFrame(spark, rules, rows, Math.max(BATCH, events / 10));
        figures.add(new Figure(n, compiled, frame));
      }
      return figures;
    } finally {
      spark.stop();
    }
  }

  /**
   * ns/event: the set compiled once (the driver does it when the rule set changes), then per batch
   * a task's evaluator and every row evaluated.
   */
  private static double compiled(
      RuleCompiler compiler, List<RuleVersion> rules, List<CompiledRules.Scored> rows, int events) {
    long hits = 0;
    CompiledRules set = compiler.compile(1, rules);
    long start = System.nanoTime();
    for (int done = 0; done < events; done += rows.size()) {
      CompiledRules.Evaluator evaluator = set.evaluator();
      for (CompiledRules.Scored row : rows) {
        hits += set.isEmpty() ? 0 : evaluator.hits(row).size();
      }
    }
    long elapsed = System.nanoTime() - start;
    if (hits < 0) {
      throw new IllegalStateException();
    }
    return (double) elapsed / roundUp(events, rows.size());
  }

  /** ns/event: per batch, a local DataFrame of the rows with one boolean column per rule. */
  private static double dataFrame(
      SparkSession spark, List<RuleVersion> rules, List<CompiledRules.Scored> rows, int events) {
    StructType schema = new StructType().add("amount", DataTypes.DoubleType, false);
    for (String f : HandbookFeatures.SCHEMA.names()) {
      schema = schema.add(f, DataTypes.DoubleType, false);
    }
    schema = schema.add("score", DataTypes.DoubleType, false);
    List<Row> data = new ArrayList<>(rows.size());
    for (CompiledRules.Scored r : rows) {
      Object[] v = new Object[2 + r.features().length];
      v[0] = r.transaction().amount();
      for (int i = 0; i < r.features().length; i++) {
        v[1 + i] = r.features()[i];
      }
      v[v.length - 1] = r.score();
      data.add(RowFactory.create(v));
    }
    String[] columns = rules.stream().map(RuleVersion::expression).toArray(String[]::new);
    long start = System.nanoTime();
    long hits = 0;
    for (int done = 0; done < events; done += rows.size()) {
      Dataset<Row> frame = spark.createDataFrame(data, schema).selectExpr(columns);
      for (Row r : frame.collectAsList()) {
        for (int i = 0; i < r.length(); i++) {
          hits += r.getBoolean(i) ? 1 : 0;
        }
      }
    }
    long elapsed = System.nanoTime() - start;
    if (hits < 0) {
      throw new IllegalStateException();
    }
    return (double) elapsed / roundUp(events, rows.size());
  }

  private static long roundUp(int events, int batch) {
    return (long) Math.ceil((double) events / batch) * batch;
  }

  /** {@code n} rules of the kinds analysts write: thresholds on amount, features and the score. */
  static List<RuleVersion> rules(int n) {
    List<String> features = HandbookFeatures.SCHEMA.names();
    List<RuleVersion> rules = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String feature = features.get(i % features.size());
      String expression =
          String.format(
              Locale.ROOT,
              "amount > %d AND %s >= %.2f AND score > %.2f",
              100 + 10 * i,
              feature,
              0.1 * (i % 7),
              0.01 * (i % 30));
      rules.add(
          new RuleVersion(
              i + 1, "r" + i, 1, expression, RuleAction.ALERT, "bench", "bench", Instant.EPOCH));
    }
    return rules;
  }

  static List<CompiledRules.Scored> rows(int n) {
    Random random = new Random(42);
    List<CompiledRules.Scored> rows = new ArrayList<>(n);
    Instant t0 = Instant.parse("2018-08-08T00:00:00Z");
    for (int i = 0; i < n; i++) {
      double amount = Math.round(random.nextExponential() * 5_000) / 100.0;
      double[] features = new double[HandbookFeatures.SIZE];
      for (int j = 0; j < features.length; j++) {
        features[j] = random.nextDouble() * (j % 3 == 0 ? 10 : 1);
      }
      features[0] = amount;
      double score = random.nextDouble() * random.nextDouble();
      rows.add(
          new CompiledRules.Scored(
              new TransactionInput(
                  "t" + i, "c" + (i % 500), "m" + (i % 900), t0.plusSeconds(i), amount),
              features,
              score,
              0.5,
              score >= 0.5,
              List.of("TX_AMOUNT", "TERMINAL_ID_RISK_7DAY_WINDOW")));
    }
    return rows;
  }

  /** The figures as a table for the console. */
  public static String table(List<Figure> figures) {
    StringBuilder t =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Rule stage, ns per event (batches of %,d; compiled once per rule set and evaluated in the"
                    + " task vs a DataFrame per batch):%n%6s %12s %12s%n",
                BATCH,
                "rules",
                "compiled",
                "dataframe"));
    for (Figure f : figures) {
      t.append(
          String.format(
              Locale.ROOT,
              "%6d %12.0f %12s%n",
              f.rules(),
              f.compiledNsPerEvent(),
              f.rules() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", f.dataFrameNsPerEvent())));
    }
    return t.toString();
  }
}
