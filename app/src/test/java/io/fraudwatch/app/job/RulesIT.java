package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.rules.InvalidRuleException;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules on the running stream: enabled between batches, they decide with the model from the next
 * batch on (alert rules alert, suppress rules take alerts back, review rules only record), say so
 * in the alerts table and on the alert topic, and stop when disabled.
 */
class RulesIT {
  private static final Instant T0 = Instant.parse("2018-04-03T10:00:00Z");

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void enabledRulesDecideWithTheModelFromTheNextBatchAndStopWhenDisabled() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 1)) {
      // setup: a champion alerting above 1000, the job running, a first transaction without rules
      f.promote(f.amountModel(1000), "first model");
      f.startJob(Map.of());
      RuleStore rules = new RuleStore(f.services.operatorDataSource().orElseThrow());
      f.sendTransaction("before", T0, "C1", "T1", 150);
      f.flush();
      awaitScored(f, 1);

      // the job's SparkContext is this JVM's: the check's session runs on it
      Consumer<String> check = new RuleCompiler(RuleSpark.local(), HandbookFeatures.SCHEMA)::check;
      assertThatThrownBy(
              () -> rules.add("bad", "amount > AND 1", RuleAction.ALERT, "ana", "typo", check))
          .isInstanceOf(InvalidRuleException.class)
          .hasMessageContaining("PARSE_SYNTAX_ERROR");
      assertThat(f.count("select count(*) from fraudwatch.rule_versions")).isZero();
      rules.add("mid-amount", "amount BETWEEN 100 AND 200", RuleAction.ALERT, "ana", "p1", check);
      rules.add("trusted-c9", "customer_id = 'C9'", RuleAction.SUPPRESS, "ana", "vip", check);
      rules.add(
          "watch-t7", "terminal_id = 'T7' AND score < 0.5", RuleAction.REVIEW, "ana", "w", check);
      for (String rule : List.of("mid-amount", "trusted-c9", "watch-t7")) {
        rules.enable(rule, OptionalInt.empty(), "ana", "go", check);
      }
      long ruleSet = rules.ruleSetId();

      // act: the next batches
      f.sendTransaction("rule-alert", T0.plusSeconds(60), "C1", "T1", 150);
      f.sendTransaction("suppressed", T0.plusSeconds(61), "C9", "T1", 1500);
      f.sendTransaction("model-alert", T0.plusSeconds(62), "C2", "T1", 1500);
      f.sendTransaction("reviewed", T0.plusSeconds(63), "C3", "T7", 50);
      f.flush();
      awaitScored(f, 5);

      // verify: the decision, the hits and the rule set with every row; the alerts say why
      assertThat(row(f, "before")).isEqualTo("f|f|{}|0");
      assertThat(row(f, "rule-alert")).isEqualTo("t|f|{mid-amount}|" + ruleSet);
      assertThat(row(f, "suppressed")).isEqualTo("f|t|{trusted-c9}|" + ruleSet);
      assertThat(row(f, "model-alert")).isEqualTo("t|t|{}|" + ruleSet);
      assertThat(row(f, "reviewed")).isEqualTo("f|f|{watch-t7}|" + ruleSet);
      assertThat(
              f.query(
                  "select transaction_id || '|' || model_alert || '|' || split_part(reason_codes[1], ':', 1)"
                      + " from fraudwatch.alerts order by transaction_id",
                  rs -> rs.getString(1)))
          .containsExactly("model-alert|true|TX_AMOUNT", "rule-alert|false|rule");
      Map<String, Alert> onTopic = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : f.readTopic(f.services.topics().alerts(), 2)) {
        Alert a = AvroCodec.ALERT.decode(r.value());
        onTopic.put(a.getTransactionId().toString(), a);
      }
      assertThat(onTopic).containsOnlyKeys("rule-alert", "model-alert");
      assertThat(onTopic.get("rule-alert").getModelAlert()).isFalse();
      assertThat(onTopic.get("rule-alert").getRules()).containsExactly("rule:mid-amount");
      assertThat(onTopic.get("rule-alert").getRuleSet()).isEqualTo(ruleSet);
      assertThat(onTopic.get("model-alert").getModelAlert()).isTrue();
      assertThat(onTopic.get("model-alert").getRules()).isEmpty();

      // and once disabled, the rule no longer fires
      rules.disable("mid-amount", "ana", "done");
      f.sendTransaction("after", T0.plusSeconds(120), "C1", "T1", 150);
      f.flush();
      awaitScored(f, 6);
      assertThat(row(f, "after")).isEqualTo("f|f|{}|" + rules.ruleSetId());
      assertThat(f.count("select count(*) from fraudwatch.alerts")).isEqualTo(2);
      assertThat(f.count("select count(*) from fraudwatch.rule_events")).isEqualTo(7);
    }
  }

  private static void awaitScored(JobFixture f, long n) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") >= n);
  }

  /** alert | model_alert | rule_hits | rule_set of a scored row. */
  private static String row(JobFixture f, String id) throws Exception {
    return f.query(
            "select alert::text || '|' || model_alert::text || '|' || rule_hits::text || '|' || rule_set"
                + " from fraudwatch.scored_transactions where transaction_id = '"
                + id
                + "'",
            rs -> rs.getString(1))
        .get(0)
        .replace("true", "t")
        .replace("false", "f");
  }
}
