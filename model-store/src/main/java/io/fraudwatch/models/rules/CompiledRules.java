package io.fraudwatch.models.rules;

import io.fraudwatch.features.TransactionInput;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.MutableProjection;
import org.apache.spark.sql.catalyst.expressions.MutableProjection$;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A rule set as the stream runs it: the active rules' analysed Spark SQL expressions, made on the
 * driver once per change ({@link RuleCompiler#compile}) and broadcast with the batch's models. Each
 * executor thread makes one {@link Evaluator} per rule set (one generated class for all the rules,
 * or Spark's interpreter where code generation fails) and the partition tasks evaluate it per
 * transaction, with no Spark job of its own.
 *
 * @param id the rule set's id: the newest rule event when it was read (0: no rules ever)
 * @param expressions the rules' expressions, bound to the positions of {@link EnrichedFields}
 * @param width how many columns the enriched row has
 */
public record CompiledRules(
    long id, List<RuleVersion> rules, List<Expression> expressions, int width)
    implements Serializable {

  private static final Logger LOG = LoggerFactory.getLogger(CompiledRules.class);

  /** No rules: the model decides alone. */
  public static final CompiledRules NONE = new CompiledRules(0, List.of(), List.of(), 0);

  public CompiledRules {
    rules = List.copyOf(rules);
    expressions = new ArrayList<>(expressions);
    if (rules.size() != expressions.size()) {
      throw new IllegalArgumentException("one expression per rule");
    }
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** What the champion made of the transaction, for the rules to read. */
  public record Scored(
      TransactionInput transaction,
      double[] features,
      double score,
      double threshold,
      boolean modelAlert,
      List<String> reasonFeatures) {}

  /**
   * Each thread's evaluator of the set it ran last: executor threads run one task at a time, so a
   * thread reuses its evaluator from batch to batch until the rule set changes, instead of making
   * (and generating code for) one per task.
   */
  private static final ThreadLocal<Evaluator> EVALUATORS = new ThreadLocal<>();

  /** This thread's evaluator of this set (not thread-safe: used by one task at a time). */
  public Evaluator evaluator() {
    Evaluator cached = EVALUATORS.get();
    if (cached != null && cached.rules == this) {
      return cached;
    }
    Evaluator made = new Evaluator(this);
    EVALUATORS.set(made);
    return made;
  }

  /** Evaluates the rule set on one transaction after another. */
  public static final class Evaluator {
    private final CompiledRules rules;
    private final MutableProjection projection;
    private final Object[] values;
    private final GenericInternalRow row;
    private long errors;
    private long fallbacks;

    private Evaluator(CompiledRules rules) {
      this.rules = rules;
      this.projection =
          rules.isEmpty()
              ? null
              : MutableProjection$.MODULE$.create(
                  CollectionConverters.asScala(rules.expressions()).toSeq());
      this.values = new Object[rules.width()];
      this.row = new GenericInternalRow(values);
    }

    /** The rules that fire on {@code t}, in rule-set order; none when the set is empty. */
    public List<RuleDecision.Hit> hits(Scored t) {
      if (projection == null) {
        return List.of();
      }
      fill(t);
      InternalRow out;
      try {
        out = projection.apply(row);
      } catch (RuntimeException e) {
        if (fallbacks++ == 0) {
          LOG.warn(
              "rule set {} failed on a row, evaluated rule by rule: {}", rules.id(), e.toString());
        }
        return oneByOne(t, e);
      }
      List<RuleDecision.Hit> hits = new ArrayList<>(2);
      for (int i = 0; i < rules.rules().size(); i++) {
        if (!out.isNullAt(i) && out.getBoolean(i)) {
          RuleVersion r = rules.rules().get(i);
          hits.add(new RuleDecision.Hit(r.name(), r.action()));
        }
      }
      return hits;
    }

    /**
     * Rules that failed on this row (e.g. an ANSI cast error): a rule that fails does not fire, and
     * the others still count. Rare, so the interpreter is fine.
     */
    private List<RuleDecision.Hit> oneByOne(Scored t, RuntimeException failure) {
      List<RuleDecision.Hit> hits = new ArrayList<>(2);
      for (int i = 0; i < rules.rules().size(); i++) {
        RuleVersion r = rules.rules().get(i);
        try {
          Object v = rules.expressions().get(i).eval(row);
          if (Boolean.TRUE.equals(v)) {
            hits.add(new RuleDecision.Hit(r.name(), r.action()));
          }
        } catch (RuntimeException e) {
          if (errors++ == 0) {
            LOG.warn(
                "rule {} failed on transaction {} and does not fire there: {}",
                r.label(),
                t.transaction().transactionId(),
                e.getMessage());
          }
        }
      }
      return hits;
    }

    /** How many rows the set failed on as a whole, so that each rule was evaluated alone. */
    public long fallbacks() {
      return fallbacks;
    }

    /** How many rule evaluations failed (each counted as not firing). */
    public long errors() {
      return errors;
    }

    private void fill(Scored t) {
      TransactionInput tx = t.transaction();
      values[EnrichedFields.TRANSACTION_ID] = UTF8String.fromString(tx.transactionId());
      values[EnrichedFields.CUSTOMER_ID] = UTF8String.fromString(tx.customerId());
      values[EnrichedFields.TERMINAL_ID] = UTF8String.fromString(tx.terminalId());
      values[EnrichedFields.EVENT_TIME] = micros(tx.eventTime());
      values[EnrichedFields.AMOUNT] = tx.amount();
      double[] features = t.features();
      int at = EnrichedFields.FIRST_FEATURE;
      for (double f : features) {
        values[at++] = f;
      }
      values[at++] = t.score();
      values[at++] = t.threshold();
      values[at++] = t.modelAlert();
      Object[] reasons = new Object[t.reasonFeatures().size()];
      for (int i = 0; i < reasons.length; i++) {
        reasons[i] = UTF8String.fromString(t.reasonFeatures().get(i));
      }
      values[at] = new GenericArrayData(reasons);
    }

    private static long micros(Instant t) {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
  }

  /** {@code 3 rules (set 42)}: for the logs. */
  public String describe() {
    return rules.size() + " rule" + (rules.size() == 1 ? "" : "s") + " (set " + id + ")";
  }
}
