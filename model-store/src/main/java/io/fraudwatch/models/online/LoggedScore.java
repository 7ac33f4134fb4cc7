package io.fraudwatch.models.online;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the job logged in {@code scored_transactions} when it scored a transaction: the raw features
 * it scored, the champion's score and the champion's version.
 */
public record LoggedScore(
    String transactionId,
    Instant eventTime,
    double[] rawFeatures,
    double championScore,
    long championVersion)
    implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  public LoggedScore {
    if (transactionId == null || transactionId.isEmpty()) {
      throw new IllegalArgumentException("a logged score needs a transaction id");
    }
    Objects.requireNonNull(eventTime, "event time of " + transactionId);
    rawFeatures = Objects.requireNonNull(rawFeatures, "features of " + transactionId).clone();
  }

  @Override
  public double[] rawFeatures() {
    return rawFeatures.clone();
  }

  /** The training example this row and its label make. */
  public LabelledExample with(KnownLabel label) {
    if (!label.transactionId().equals(transactionId)) {
      throw new IllegalArgumentException(
          "label of " + label.transactionId() + " does not belong to " + transactionId);
    }
    return new LabelledExample(
        transactionId,
        eventTime,
        rawFeatures,
        label.fraud(),
        label.knownAt(),
        championScore,
        championVersion);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoggedScore s
        && transactionId.equals(s.transactionId)
        && eventTime.equals(s.eventTime)
        && Arrays.equals(rawFeatures, s.rawFeatures)
        && Double.compare(championScore, s.championScore) == 0
        && championVersion == s.championVersion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        transactionId, eventTime, Arrays.hashCode(rawFeatures), championScore, championVersion);
  }

  @Override
  public String toString() {
    return "LoggedScore["
        + transactionId
        + ", event "
        + eventTime
        + ", champion v"
        + championVersion
        + " "
        + championScore
        + "]";
  }
}
