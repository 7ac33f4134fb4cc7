package io.fraudwatch.avro;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a decoded {@link Label} for values the schema cannot rule out but the labels table and the
 * terminal history cannot hold ({@link StoreLimits}). The source needs no check: the schema's enum
 * has exactly the symbols the table accepts. Pure functions: the streaming job sends an invalid
 * label to the dead-letter topic.
 */
public final class LabelValidation {

  private LabelValidation() {}

  /** All problems of {@code label} in one line, or empty when it can be stored. */
  public static Optional<String> invalidReason(Label label) {
    List<String> problems = new ArrayList<>(0);
    String id = StoreLimits.idProblem("transactionId", label.getTransactionId());
    if (id != null) {
      problems.add(id);
    }
    String knownAt = StoreLimits.timeProblem("knownAt", label.getKnownAt());
    if (knownAt != null) {
      problems.add(knownAt);
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }
}
