package io.fraudwatch.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a replay sent, all of it delivered (the sink was flushed).
 *
 * @param labelsNotSent labels still pending at the end: trailing labels when they were not wanted,
 *     or everything pending when the replay was stopped
 * @param firstEventTime empty when there were no transactions
 * @param stopped whether the replay was asked to stop before the input ended
 */
public record ReplayResult(
    long transactions,
    long labels,
    long labelsNotSent,
    Optional<Instant> firstEventTime,
    Optional<Instant> lastEventTime,
    Duration elapsed,
    boolean stopped) {

  /** Transactions per second of wall-clock time over the whole replay. */
  public double transactionsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? transactions / seconds : 0;
  }
}
