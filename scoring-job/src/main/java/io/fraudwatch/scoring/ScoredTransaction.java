package io.fraudwatch.scoring;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A transaction as the job scored it: what it was, the features it was scored on, the champion's
 * score (and the challenger's shadow score, if a challenger exists), whether it alerts, and where
 * in Kafka it came from.
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
    long kafkaOffset)
    implements Serializable {

  public ScoredTransaction {
    features = features.clone();
    reasonCodes = List.copyOf(reasonCodes);
    if ((challengerScore == null) != (challengerVersion == null)) {
      throw new IllegalArgumentException("challenger score and version go together");
    }
  }

  @Override
  public double[] features() {
    return features.clone();
  }
}
