package io.fraudwatch.models.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.TransactionInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  private static SparkSession spark;
  private static RuleCompiler compiler;

  @BeforeAll
  static void start() {
    spark = RuleSpark.local();
    compiler = new RuleCompiler(spark, HandbookFeatures.SCHEMA);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void acceptsBooleanExpressionsOverFieldsFeaturesScoreAndReasonCodes() {
    compiler.check("amount > 1000 AND customer_id_nb_tx_1day_window >= 5");
    compiler.check("TERMINAL_ID_RISK_7DAY_WINDOW > 0.5 AND score > 0.2");
    compiler.check("array_contains(reason_codes, 'TX_AMOUNT') OR terminal_id IN ('7', '9')");
    compiler.check("hour(event_time) < 6 AND NOT model_alert");
  }

  @Test
  void refusesWithSparksMessage() {
    assertThatThrownBy(() -> compiler.check("amount >"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("PARSE_SYNTAX_ERROR");
    assertThatThrownBy(() -> compiler.check("amont > 10"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("amont");
    assertThatThrownBy(() -> compiler.check("no_such_function(amount) > 1"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("no_such_function");
    // a constant part that cannot be computed is refused, not run on every transaction
    assertThatThrownBy(() -> compiler.check("amount > 'x' + 1"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("CAST_INVALID_INPUT");
    assertThatThrownBy(() -> compiler.check("amount >> 'x'"))
        .isInstanceOf(InvalidRuleException.class);
    assertThatThrownBy(() -> compiler.check("amount > " + "9".repeat(400)))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION");
  }

  @Test
  void refusesAnExpressionLongerThanTheStoreHolds() {
    String padded = "amount > 1" + " ".repeat(RuleCompiler.MAX_LENGTH);
    assertThatThrownBy(() -> compiler.check(padded))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessage("the rule's expression has 4010 characters; the store holds at most 4000");
  }

  @Test
  void refusesWhatIsNotABooleanOfOneTransaction() {
    assertThatThrownBy(() -> compiler.check("amount * 2"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("must be boolean");
    assertThatThrownBy(() -> compiler.check("rand() < 0.5"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("deterministic")
        .hasMessageContaining("rand is not allowed");
    assertThatThrownBy(() -> compiler.check("event_time > current_timestamp()"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("deterministic");
    assertThatThrownBy(() -> compiler.check("reflect('java.lang.System', 'exit', '1') = ''"))
        .isInstanceOf(InvalidRuleException.class);
    assertThatThrownBy(() -> compiler.check("sum(amount) > 10"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("aggregate");
  }

  @Test
  void aCompiledSetTravelsAndFiresPerTransaction() throws Exception {
    CompiledRules rules =
        compiler.compile(
            7,
            List.of(
                rule("big", "amount > 1000", RuleAction.ALERT),
                rule(
                    "busy",
                    "customer_id_nb_tx_1day_window >= 5 AND score > 0.2",
                    RuleAction.REVIEW),
                rule("reasons", "array_contains(reason_codes, 'TX_AMOUNT')", RuleAction.SUPPRESS),
                rule("between", "amount BETWEEN 1000 AND 2000", RuleAction.REVIEW),
                rule(
                    "nvl",
                    "nvl(terminal_id, 'x') = '7' AND to_date(event_time) = DATE'2018-08-08' AND amount > 1000",
                    RuleAction.REVIEW)));
    CompiledRules travelled = roundTrip(rules);
    CompiledRules.Evaluator evaluator = travelled.evaluator();

    double[] features = new double[HandbookFeatures.SIZE];
    features[HandbookFeatures.SCHEMA.names().indexOf("CUSTOMER_ID_NB_TX_1DAY_WINDOW")] = 6;
    assertThat(evaluator.hits(scored(1500, features, 0.3, List.of("TX_AMOUNT"))))
        .extracting(RuleDecision.Hit::rule)
        .containsExactly("big", "busy", "reasons", "between", "nvl");
    assertThat(evaluator.hits(scored(50, features, 0.1, List.of("TX_DURING_NIGHT")))).isEmpty();
    assertThat(evaluator.fallbacks()).isZero();
    assertThat(CompiledRules.NONE.evaluator().hits(scored(1500, features, 0.3, List.of())))
        .isEmpty();
  }

  private static CompiledRules.Scored scored(
      double amount, double[] features, double score, List<String> reasons) {
    return new CompiledRules.Scored(
        new TransactionInput("t1", "c1", "7", Instant.parse("2018-08-08T03:00:00Z"), amount),
        features,
        score,
        0.5,
        score >= 0.5,
        reasons);
  }

  static RuleVersion rule(String name, String expression, RuleAction action) {
    return new RuleVersion(1, name, 1, expression, action, "test", "test", Instant.EPOCH);
  }

  private static CompiledRules roundTrip(CompiledRules rules) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rules);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (CompiledRules) in.readObject();
    }
  }
}
