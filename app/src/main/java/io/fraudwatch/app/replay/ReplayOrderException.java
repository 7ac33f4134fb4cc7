package io.fraudwatch.app.replay;

import java.time.Instant;

/**
 * The input was not in event-time order: labels would go out at the wrong place, so the replay
 * stops.
 */
public final class ReplayOrderException extends RuntimeException {

  public ReplayOrderException(String transactionId, Instant eventTime, Instant previousEventTime) {
    super(
        "transaction "
            + transactionId
            + " at "
            + eventTime
            + " comes after one at "
            + previousEventTime
            + ": the input must be in event-time order");
  }
}
