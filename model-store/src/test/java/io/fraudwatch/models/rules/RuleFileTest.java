package io.fraudwatch.models.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

class RuleFileTest {

  private static String file(String... rules) {
    return "{\"rules\": [" + String.join(", ", rules) + "]}";
  }

  private static String rule(String name, String statusField) {
    return "{\"name\": \""
        + name
        + "\", \"expression\": \"amount > 220\", \"action\": \"alert\", \"reason\": \"r\""
        + statusField
        + "}";
  }

  @Test
  void aRuleIsActiveUnlessItsStatusSaysOtherwise() {
    assertThat(
            RuleFile.read(
                file(
                    rule("a", ""),
                    rule("b", ", \"status\": \"active\""),
                    rule("c", ", \"status\": \"draft\""),
                    rule("d", ", \"status\": \"disabled\""))))
        .extracting(RuleFile.Entry::name, RuleFile.Entry::active)
        .containsExactly(tuple("a", true), tuple("b", true), tuple("c", false), tuple("d", false));
  }

  @Test
  void aStatusThatIsNoneOfTheLabelsIsRefused() {
    for (String status : new String[] {"\"Active\"", "\"whatever\"", "true", "null"}) {
      assertThatThrownBy(() -> RuleFile.read(file(rule("a", ", \"status\": " + status))))
          .as(status)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "rule a has the status " + status + "; a status is one of [draft, active, disabled]");
    }
  }

  @Test
  void aNameTwiceInOneFileIsRefused() {
    assertThatThrownBy(() -> RuleFile.read(file(rule("a", ""), rule("a", ""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule a is in the file twice");
  }

  @Test
  void aFieldTheFormatDoesNotHaveIsRefusedSoThatAMisspeltStatusLeavesNoRuleActive() {
    assertThatThrownBy(() -> RuleFile.read(file(rule("a6", ", \"stauts\": \"disabled\""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rule a6 has an unknown field \"stauts\"; the fields are"
                + " [name, expression, action, reason, status]");
    assertThatThrownBy(() -> RuleFile.read("{\"rules\": [], \"ruels\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the file has an unknown field \"ruels\"; the fields are [rules]");
  }
}
