package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class BatchMetricsWriterIT {

  private static final Instant BATCH = Instant.parse("2018-08-03T08:16:00Z");
  private static DataSource job;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "batch_metrics_it");
  }

  @Test
  void keepsOneRowPerBatchDescribingItsLastRun() throws SQLException {
    try (Connection c = job.getConnection()) {
      BatchMetricsWriter.write(
          c, new BatchMetrics("scorer", BATCH, 1000, 2, 7, 850, 10, 4, 5L, 1, 0, 0));
      BatchMetricsWriter.write(
          c, new BatchMetrics("scorer", BATCH, 1000, 2, 7, 1200, 3000, 4, null, 3, 12, 45_000));
      BatchMetricsWriter.write(
          c, new BatchMetrics("scorer", BATCH.plusSeconds(5), 10, 0, 0, 90, 0, 4, null, 0, 0, 0));
    }

    try (Connection c = job.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT batch_time, records, dead_letters, alerts, processing_ms, scheduling_delay_ms, model_version,"
                    + " challenger_version, duplicates, outage_retries, outage_wait_ms FROM fraudwatch.batch_metrics"
                    + " WHERE job_name = 'scorer' ORDER BY batch_time")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(BATCH);
      assertThat(
              new long[] {
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7)
              })
          .containsExactly(1000, 2, 7, 1200, 3000, 4);
      assertThat(rs.getObject(8)).isNull();
      assertThat(new long[] {rs.getLong(9), rs.getLong(10), rs.getLong(11)})
          .containsExactly(3, 12, 45_000);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).isEqualTo(10);
      assertThat(rs.next()).isFalse();
    }
  }
}
