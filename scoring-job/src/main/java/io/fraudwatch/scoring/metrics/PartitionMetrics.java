package io.fraudwatch.scoring.metrics;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one partition task of a batch measured for the metrics, brought back to the driver with the
 * task's outcome (no Prometheus types: it crosses from executors). Mutable while the task fills it.
 */
public final class PartitionMetrics implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** An executor's feature-history cache as the task saw it. */
  public record History(String executorId, Instant lastSnapshotAt, long refreshFailures)
      implements Serializable {}

  private final Map<String, Long> deadLettersByReason = new HashMap<>();
  private final ScoreTally championScores = new ScoreTally();
  private final ScoreTally challengerScores = new ScoreTally();
  private long postgresNanos = -1;
  private long defaultPartitionRows;
  private History history;

  public void deadLetter(String reasonCode) {
    deadLettersByReason.merge(reasonCode, 1L, Long::sum);
  }

  public void scored(double championScore, Double challengerScore) {
    championScores.add(championScore);
    if (challengerScore != null) {
      challengerScores.add(challengerScore);
    }
  }

  /**
   * The partition's PostgreSQL transaction: its statements and COMMIT (not the wait for Kafka in
   * between).
   */
  public void postgresTransaction(long nanos, long rowsIntoDefaultPartition) {
    this.postgresNanos = nanos;
    this.defaultPartitionRows = rowsIntoDefaultPartition;
  }

  public void history(History h) {
    this.history = h;
  }

  public Map<String, Long> deadLettersByReason() {
    return Map.copyOf(deadLettersByReason);
  }

  public ScoreTally championScores() {
    return championScores;
  }

  public ScoreTally challengerScores() {
    return challengerScores;
  }

  /** Nanoseconds, or -1 when the task wrote nothing (it had no records). */
  public long postgresNanos() {
    return postgresNanos;
  }

  public long defaultPartitionRows() {
    return defaultPartitionRows;
  }

  /** Null when the task scored nothing (the cache was not used). */
  public History history() {
    return history;
  }
}
