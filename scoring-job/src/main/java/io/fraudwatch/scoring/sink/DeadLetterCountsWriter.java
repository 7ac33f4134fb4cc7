package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Writes {@code fraudwatch.batch_dead_letters}: a batch's dead letters by reason code, beside its
 * batch_metrics row.
 */
public final class DeadLetterCountsWriter {

  private DeadLetterCountsWriter() {}

  /**
   * Stores the batch's counts; a batch run again after a restart (the same records, so the same
   * reasons) replaces the counts of its earlier run, as batch_metrics does. Nothing is written for
   * a batch without dead letters.
   */
  public static void write(
      Connection c, String jobName, Instant batchTime, Map<String, Long> byReason)
      throws SQLException {
    if (byReason.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.batch_dead_letters"
                + " (job_name, batch_time, reason_code, dead_letters) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (job_name, batch_time, reason_code) DO UPDATE SET dead_letters = excluded.dead_letters")) {
      for (Map.Entry<String, Long> e : byReason.entrySet()) {
        ps.setString(1, jobName);
        ps.setObject(2, batchTime.atOffset(ZoneOffset.UTC));
        ps.setString(3, e.getKey());
        ps.setLong(4, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
