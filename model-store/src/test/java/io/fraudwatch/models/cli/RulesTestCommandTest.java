package io.fraudwatch.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.rules.RuleAction;
import io.fraudwatch.models.rules.RuleCompiler;
import io.fraudwatch.models.rules.RuleSpark;
import io.fraudwatch.models.rules.RuleVersion;
import io.fraudwatch.models.scoring.LinearScorer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class RulesTestCommandTest {

  @Test
  void reportsTheRuleNextToTheModelOnTheTestedDaysOnly() {
    // a champion alerting above 500, a rule alerting above 100; frauds are the amounts above 300
    int n = HandbookFeatures.SIZE;
    double[] weights = new double[n + 1];
    weights[0] = 1;
    weights[n] = -500;
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    LinearScorer champion =
        new LinearScorer(
            1, HandbookFeatures.SCHEMA, new Standardisation(new double[n], ones), weights, 0.5);
    List<HandbookRow> rows = new ArrayList<>();
    double[] amounts = {50, 150, 350, 700, 80, 900};
    Instant day1 = Instant.parse("2018-08-08T10:00:00Z");
    for (int i = 0; i < amounts.length; i++) {
      rows.add(
          new HandbookRow(
              i,
              day1.plusSeconds(60L * i),
              "c" + i,
              "t" + i,
              amounts[i],
              amounts[i] > 300,
              0,
              amounts[i] > 300));
    }
    rows.add(
        new HandbookRow(
            99, Instant.parse("2018-08-07T10:00:00Z"), "c9", "t9", 150, false, 0, false));
    SparkSession spark = RuleSpark.local();
    CompiledRules.Evaluator evaluator;
    try {
      evaluator =
          new RuleCompiler(spark, HandbookFeatures.SCHEMA)
              .compile(
                  1,
                  List.of(
                      new RuleVersion(
                          1,
                          "over-100",
                          1,
                          "amount > 100",
                          RuleAction.ALERT,
                          "a",
                          "r",
                          Instant.EPOCH)))
              .evaluator();
    } finally {
      spark.stop();
    }

    RulesTestCommand.Outcome o =
        RulesTestCommand.evaluate(
            rows,
            champion,
            evaluator,
            LocalDate.parse("2018-08-08"),
            LocalDate.parse("2018-08-08"),
            Duration.ofDays(7));

    assertThat(o.transactions()).isEqualTo(6);
    assertThat(o.rule().overall().flagged()).isEqualTo(4); // 150, 350, 700, 900
    assertThat(o.rule().overall().truePositives()).isEqualTo(3);
    assertThat(o.rule().overall().recall().getAsDouble()).isEqualTo(1.0);
    assertThat(o.model().overall().flagged()).isEqualTo(2); // 700, 900
    assertThat(o.overlap()).isEqualTo(2);
    assertThat(o.rule().cardPrecision().getAsDouble()).isEqualTo(3 / 100.0);
  }

  @Test
  void daysTheFilesHoldNoTransactionOfAreRefusedNotReportedAsZeros() {
    List<HandbookRow> rows =
        List.of(
            new HandbookRow(1, Instant.parse("2018-04-01T10:00:00Z"), "c", "t", 5, false, 0, false),
            new HandbookRow(
                2, Instant.parse("2018-08-31T10:00:00Z"), "c", "t", 5, false, 0, false));

    RulesTestCommand.requireDaysIn(rows, LocalDate.of(2018, 8, 31), LocalDate.of(2018, 9, 6));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                RulesTestCommand.requireDaysIn(
                    rows, LocalDate.of(2019, 1, 1), LocalDate.of(2019, 1, 7)))
        .isInstanceOf(io.fraudwatch.config.CommandFailure.class)
        .hasMessage(
            "the CSV files hold no transaction on 2019-01-01..2019-01-07 (up to 2019-01-07 they"
                + " hold 2018-04-01..2018-08-31)")
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(
                        ((io.fraudwatch.config.CommandFailure) e).exitCode())
                    .isEqualTo(io.fraudwatch.config.Cli.NOT_FOUND));
  }
}
