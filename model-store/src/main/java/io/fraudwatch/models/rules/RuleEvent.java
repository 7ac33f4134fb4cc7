package io.fraudwatch.models.rules;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** One entry of the rules' audit trail: a version added, enabled or disabled, by whom and why. */
public record RuleEvent(
    long id,
    String rule,
    long versionId,
    int version,
    Action action,
    String actor,
    Optional<String> dbUser,
    Instant at,
    String reason) {

  public enum Action {
    ADD,
    ENABLE,
    DISABLE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Action of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }
}
