package io.fraudwatch.scoring.sink;

import java.time.Instant;
import java.util.Objects;

/** What one completed streaming batch did; one row of {@code fraudwatch.batch_metrics}. */
public record BatchMetrics(
    String jobName,
    Instant batchTime,
    long records,
    long deadLetters,
    long alerts,
    long processingMs,
    long schedulingDelayMs,
    long modelVersion,
    Long challengerVersion) {

  public BatchMetrics {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(batchTime, "batchTime");
    if (records < 0 || deadLetters < 0 || alerts < 0 || processingMs < 0 || schedulingDelayMs < 0) {
      throw new IllegalArgumentException("batch " + batchTime + " of " + jobName + " has a negative count or time: "
          + "records=" + records + ", deadLetters=" + deadLetters + ", alerts=" + alerts
          + ", processingMs=" + processingMs + ", schedulingDelayMs=" + schedulingDelayMs);
    }
  }
}
