package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;

/** Writes {@code fraudwatch.batch_metrics}, one row per (job, batch time). */
public final class BatchMetricsWriter {

  private BatchMetricsWriter() {}

  /**
   * Stores the batch's metrics; a batch run again (after a restart) replaces the row of its earlier
   * run, so the row always describes the run that completed last.
   */
  public static void write(Connection c, BatchMetrics m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.batch_metrics (job_name, batch_time, records, dead_letters, alerts, processing_ms,
                                              scheduling_delay_ms, model_version, challenger_version, duplicates,
                                              outage_retries, outage_wait_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (job_name, batch_time) DO UPDATE SET
            records = excluded.records, dead_letters = excluded.dead_letters, alerts = excluded.alerts,
            processing_ms = excluded.processing_ms, scheduling_delay_ms = excluded.scheduling_delay_ms,
            model_version = excluded.model_version, challenger_version = excluded.challenger_version,
            duplicates = excluded.duplicates, outage_retries = excluded.outage_retries,
            outage_wait_ms = excluded.outage_wait_ms, recorded_at = now()""")) {
      ps.setString(1, m.jobName());
      ps.setObject(2, m.batchTime().atOffset(ZoneOffset.UTC));
      ps.setLong(3, m.records());
      ps.setLong(4, m.deadLetters());
      ps.setLong(5, m.alerts());
      ps.setLong(6, m.processingMs());
      ps.setLong(7, m.schedulingDelayMs());
      ps.setLong(8, m.modelVersion());
      if (m.challengerVersion() == null) {
        ps.setNull(9, Types.BIGINT);
      } else {
        ps.setLong(9, m.challengerVersion());
      }
      ps.setLong(10, m.duplicates());
      ps.setLong(11, m.outageRetries());
      ps.setLong(12, m.outageWaitMs());
      ps.executeUpdate();
    }
  }
}
