package io.fraudwatch.scoring.job;

import java.time.Instant;

/**
 * What one micro-batch did, as written to batch_metrics and shown by progress displays.
 *
 * @param records records read from the transactions topic: scored, dead letters and duplicates
 * @param duplicates transactions delivered again with the content already stored (stored once)
 * @param processingMs the batch's steps on the driver's clock, from the review relay and the labels
 *     to the transactions' commit
 * @param schedulingDelayMs from the batch's time until its first step started
 * @param outageRetries attempts repeated because PostgreSQL or Kafka was unreachable
 * @param outageWaitMs time spent waiting for them
 */
public record BatchReport(
    Instant batchTime,
    long records,
    long deadLetters,
    long alerts,
    long labels,
    long processingMs,
    long schedulingDelayMs,
    long championVersion,
    Long challengerVersion,
    long duplicates,
    long outageRetries,
    long outageWaitMs) {}
