package io.fraudwatch.scoring;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A transaction as the job scored it: what it was, the features it was scored on, the champion's
 * score (and the challenger's shadow score, if a challenger exists), whether it alerts, and where
 * in Kafka it came from.
 *
 * <p>{@code alert} is the decision: the model's alert ({@code modelAlert}: score at or above the
 * threshold) or an alert rule's, unless a suppress rule fired; {@code ruleHits} names every rule
 * that fired (alert, suppress and review), {@code ruleSet} the rule set in force (0: none).
 */
public record ScoredTransaction(
    String transactionId,
    Instant eventTime,
    String customerId,
    String terminalId,
    double amount,
    double[] features,
    double score,
    long modelVersion,
    double threshold,
    Double challengerScore,
    Long challengerVersion,
    boolean alert,
    List<ReasonCode> reasonCodes,
    int kafkaPartition,
    long kafkaOffset,
    boolean modelAlert,
    List<String> ruleHits,
    long ruleSet)
    implements Serializable {

  /** Decided by the model alone (no rules in force). */
  public ScoredTransaction(
      String transactionId,
      Instant eventTime,
      String customerId,
      String terminalId,
      double amount,
      double[] features,
      double score,
      long modelVersion,
      double threshold,
      Double challengerScore,
      Long challengerVersion,
      boolean alert,
      List<ReasonCode> reasonCodes,
      int kafkaPartition,
      long kafkaOffset) {
    this(
        transactionId,
        eventTime,
        customerId,
        terminalId,
        amount,
        features,
        score,
        modelVersion,
        threshold,
        challengerScore,
        challengerVersion,
        alert,
        reasonCodes,
        kafkaPartition,
        kafkaOffset,
        alert,
        List.of(),
        0);
  }

  public ScoredTransaction {
    features = features.clone();
    reasonCodes = List.copyOf(reasonCodes);
    ruleHits = List.copyOf(ruleHits);
    if ((challengerScore == null) != (challengerVersion == null)) {
      throw new IllegalArgumentException("challenger score and version go together");
    }
  }

  @Override
  public double[] features() {
    return features.clone();
  }
}
