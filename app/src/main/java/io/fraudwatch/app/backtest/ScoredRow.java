package io.fraudwatch.app.backtest;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the job stored for one transaction in {@code scored_transactions}, as far as a backtest
 * needs it.
 *
 * @param staticScore the bootstrap version's score of the row's stored raw features: the static
 *     model, shadow-scored all along as if it had stayed champion
 */
public record ScoredRow(
    String transactionId,
    Instant eventTime,
    double score,
    long modelVersion,
    OptionalDouble challengerScore,
    OptionalLong challengerVersion,
    boolean alert,
    double staticScore) {}
