package io.fraudwatch.scoring.sink;

import java.time.Instant;
import java.util.Objects;

/**
 * What one completed streaming batch did; one row of {@code fraudwatch.batch_metrics}.
 *
 * @param records records read from the transactions topic: scored, dead letters and duplicates
 * @param duplicates transactions delivered again with the stored content (stored once)
 * @param outageRetries attempts repeated because PostgreSQL or Kafka was unreachable
 * @param outageWaitMs time spent waiting for them
 */
public record BatchMetrics(
    String jobName,
    Instant batchTime,
    long records,
    long deadLetters,
    long alerts,
    long processingMs,
    long schedulingDelayMs,
    long modelVersion,
    Long challengerVersion,
    long duplicates,
    long outageRetries,
    long outageWaitMs) {

  public BatchMetrics {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(batchTime, "batchTime");
    if (records < 0
        || deadLetters < 0
        || alerts < 0
        || processingMs < 0
        || schedulingDelayMs < 0
        || duplicates < 0
        || outageRetries < 0
        || outageWaitMs < 0) {
      throw new IllegalArgumentException(
          "batch "
              + batchTime
              + " of "
              + jobName
              + " has a negative count or time: "
              + "records="
              + records
              + ", deadLetters="
              + deadLetters
              + ", alerts="
              + alerts
              + ", processingMs="
              + processingMs
              + ", schedulingDelayMs="
              + schedulingDelayMs
              + ", duplicates="
              + duplicates
              + ", outageRetries="
              + outageRetries
              + ", outageWaitMs="
              + outageWaitMs);
    }
  }
}
