package io.fraudwatch.app.backtest;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** What the job stored for one transaction in {@code scored_transactions}, as far as a backtest needs it. */
public record ScoredRow(String transactionId, Instant eventTime, double score, long modelVersion,
    OptionalDouble challengerScore, OptionalLong challengerVersion, boolean alert) {}
