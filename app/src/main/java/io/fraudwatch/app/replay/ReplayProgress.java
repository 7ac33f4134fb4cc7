package io.fraudwatch.app.replay;

import java.time.Duration;

/**
 * A replay's progress, reported about once a second.
 *
 * @param transactionsPerSecond over the interval since the previous report
 */
public record ReplayProgress(
    long transactions, long labels, double transactionsPerSecond, Duration elapsed) {}
