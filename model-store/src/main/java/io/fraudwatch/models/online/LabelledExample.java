package io.fraudwatch.models.online;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fraud label joined with what the job logged when it scored the transaction: the raw feature
 * vector it was scored on (never recomputed with hindsight), the champion's score and that
 * champion's version. Times are kept to the microsecond, as PostgreSQL stores them, so that a
 * watermark read back from the model store compares exactly with the examples it was computed from.
 */
public record LabelledExample(
    String transactionId,
    Instant eventTime,
    double[] rawFeatures,
    boolean fraud,
    Instant knownAt,
    double championScore,
    long championVersion)
    implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  public LabelledExample {
    if (transactionId == null || transactionId.isEmpty()) {
      throw new IllegalArgumentException("a labelled example needs a transaction id");
    }
    eventTime =
        Objects.requireNonNull(eventTime, "event time of " + transactionId)
            .truncatedTo(ChronoUnit.MICROS);
    knownAt =
        Objects.requireNonNull(knownAt, "known-at of " + transactionId)
            .truncatedTo(ChronoUnit.MICROS);
    rawFeatures = Objects.requireNonNull(rawFeatures, "features of " + transactionId).clone();
    if (!(championScore >= 0 && championScore <= 1)) {
      throw new IllegalArgumentException(
          "champion score of " + transactionId + " is " + championScore + ", must be in [0, 1]");
    }
  }

  @Override
  public double[] rawFeatures() {
    return rawFeatures.clone();
  }

  /**
   * When the example may first be learned from: its label must be known and the label delay must
   * have passed since the transaction, both in event time.
   */
  public Instant availableAt(Duration labelDelay) {
    Instant delayed = eventTime.plus(labelDelay);
    return knownAt.isAfter(delayed) ? knownAt : delayed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledExample e
        && transactionId.equals(e.transactionId)
        && eventTime.equals(e.eventTime)
        && Arrays.equals(rawFeatures, e.rawFeatures)
        && fraud == e.fraud
        && knownAt.equals(e.knownAt)
        && Double.compare(championScore, e.championScore) == 0
        && championVersion == e.championVersion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        transactionId,
        eventTime,
        Arrays.hashCode(rawFeatures),
        fraud,
        knownAt,
        championScore,
        championVersion);
  }

  @Override
  public String toString() {
    return "LabelledExample["
        + transactionId
        + ", event "
        + eventTime
        + ", "
        + (fraud ? "fraud" : "genuine")
        + ", known "
        + knownAt
        + ", champion v"
        + championVersion
        + " "
        + championScore
        + "]";
  }
}
