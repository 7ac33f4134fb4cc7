package io.fraudwatch.scoring.maintenance;

import java.util.Optional;

/**
 * The tables that grow with the stream and how retention trims each: by the age of one time column,
 * and either by dropping whole day partitions (scored_transactions, whose DEFAULT partition's old
 * rows are deleted) or by deleting rows in small batches.
 *
 * <p>A table the job itself reads back ({@code readByJob}) may not be trimmed below what the
 * features and the learner need: the longest feature window plus the label delay.
 *
 * <p>Sessions are cut no later than the scored transactions ({@link #boundedBy}): the job rebuilds
 * a customer's open session at start from the scored rows after their last stored session, so a
 * session deleted while its rows are still in the scored log would be written again.
 */
public enum RetainedTable {
  SCORED_TRANSACTIONS(
      "retention.scored-transactions",
      "90d",
      "scored_transactions",
      "event_time",
      true,
      "every scored transaction with its features and scores (day partitions dropped, DEFAULT rows deleted)"),
  TRANSACTION_HISTORY(
      "retention.history",
      "60d",
      "transaction_history",
      "event_time",
      true,
      "the feature history, one row per transaction"),
  LABELS(
      "retention.labels",
      "180d",
      "labels",
      "known_at",
      true,
      "fraud labels, by when they became known"),
  ALERTS(
      "retention.alerts",
      "365d",
      "alerts",
      "event_time",
      false,
      "alerts, by their transaction's event time"),
  BATCH_METRICS(
      "retention.batch-metrics",
      "90d",
      "batch_metrics",
      "batch_time",
      false,
      "one row per streaming batch"),
  SESSIONS(
      "retention.sessions",
      "365d",
      "sessions",
      "session_end",
      false,
      "finished customer sessions, by their last transaction's event time; never before the scored"
          + " transactions they were made from");

  private final String key;
  private final String defaultRetention;
  private final String table;
  private final String timeColumn;
  private final boolean readByJob;
  private final String description;

  RetainedTable(
      String key,
      String defaultRetention,
      String table,
      String timeColumn,
      boolean readByJob,
      String description) {
    this.key = key;
    this.defaultRetention = defaultRetention;
    this.table = table;
    this.timeColumn = timeColumn;
    this.readByJob = readByJob;
    this.description = description;
  }

  /** The config key of its retention. */
  public String key() {
    return key;
  }

  public String defaultRetention() {
    return defaultRetention;
  }

  /** The table's name in schema fraudwatch. */
  public String table() {
    return table;
  }

  public String timeColumn() {
    return timeColumn;
  }

  public boolean readByJob() {
    return readByJob;
  }

  public String description() {
    return description;
  }

  /**
   * The table retention deletes rows from: the DEFAULT partition for scored_transactions (the days
   * are dropped).
   */
  public String deleteFrom() {
    return partitioned() ? table + "_default" : table;
  }

  /**
   * The table whose retention also bounds this one's (its rows are kept at least as long), or
   * empty.
   */
  public Optional<RetainedTable> boundedBy() {
    return this == SESSIONS ? Optional.of(SCORED_TRANSACTIONS) : Optional.empty();
  }

  /** Whether retention drops its day partitions (otherwise it deletes rows). */
  public boolean partitioned() {
    return this == SCORED_TRANSACTIONS;
  }
}
