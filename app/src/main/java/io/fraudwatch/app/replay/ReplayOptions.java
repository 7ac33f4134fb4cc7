package io.fraudwatch.app.replay;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How to replay.
 *
 * @param labelDelay how long after its event time a transaction's label becomes known (not
 *     negative)
 * @param transactionsPerSecond pacing of the transactions (labels are not paced: they go out at
 *     their place in event time); empty = as fast as the sink takes them
 * @param trailingLabels whether to send, after the last transaction, the labels whose knownAt lies
 *     after it (in knownAt order); without them the last {@code labelDelay} of transactions stays
 *     unlabelled, as in a live stream
 */
public record ReplayOptions(
    Duration labelDelay, OptionalDouble transactionsPerSecond, boolean trailingLabels) {

  public ReplayOptions {
    Objects.requireNonNull(labelDelay, "labelDelay");
    Objects.requireNonNull(transactionsPerSecond, "transactionsPerSecond");
    if (labelDelay.isNegative()) {
      throw new IllegalArgumentException("label delay must not be negative, got " + labelDelay);
    }
    transactionsPerSecond.ifPresent(
        rate -> {
          if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(
                "rate must be a positive number of transactions per second, got " + rate);
          }
        });
  }
}
