package io.fraudwatch.models.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleDecisionTest {
  private static final RuleDecision.Hit ALERT = new RuleDecision.Hit("big", RuleAction.ALERT);
  private static final RuleDecision.Hit SUPPRESS =
      new RuleDecision.Hit("known-good", RuleAction.SUPPRESS);
  private static final RuleDecision.Hit REVIEW = new RuleDecision.Hit("watch", RuleAction.REVIEW);

  @Test
  void theModelAloneDecidesWithoutHits() {
    assertThat(RuleDecision.alert(true, List.of())).isTrue();
    assertThat(RuleDecision.alert(false, List.of())).isFalse();
  }

  @Test
  void anAlertRuleAlertsWhereTheModelDoesNot() {
    assertThat(RuleDecision.alert(false, List.of(ALERT))).isTrue();
    assertThat(RuleDecision.rulesAlert(List.of(ALERT))).isTrue();
  }

  @Test
  void aSuppressRuleTakesBackTheModelsAndTheRulesAlerts() {
    assertThat(RuleDecision.alert(true, List.of(SUPPRESS))).isFalse();
    assertThat(RuleDecision.alert(false, List.of(ALERT, SUPPRESS))).isFalse();
    assertThat(RuleDecision.alert(true, List.of(SUPPRESS, ALERT))).isFalse();
  }

  @Test
  void aReviewRuleOnlyRecordsItsHit() {
    assertThat(RuleDecision.alert(false, List.of(REVIEW))).isFalse();
    assertThat(RuleDecision.alert(true, List.of(REVIEW))).isTrue();
    assertThat(RuleDecision.names(List.of(ALERT, REVIEW))).containsExactly("big", "watch");
    assertThat(RuleDecision.reasonCode("big")).isEqualTo("rule:big");
  }
}
