package io.fraudwatch.scoring.job;

import java.time.Instant;

/** What one micro-batch did, as written to batch_metrics and shown by progress displays. */
public record BatchReport(
    Instant batchTime,
    long records,
    long deadLetters,
    long alerts,
    long labels,
    long processingMs,
    long schedulingDelayMs,
    long championVersion,
    Long challengerVersion) {}
