package io.fraudwatch.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Settings;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class DashboardDataIT {
  private static DataSource job;
  private static DataSource analyst;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job =
        SharedPostgres.loginDatabase(
            server,
            "dashboard_data_it",
            "dashboard_data_it_job",
            "pw",
            (owner, login, password) -> {
              Migrations.apply(owner);
              Migrations.grantLogin(owner, GroupRole.JOB, login, password);
              Migrations.grantLogin(
                  owner, GroupRole.ANALYST, "dashboard_data_it_analyst", password);
            });
    analyst =
        SharedPostgres.dataSource(server, "dashboard_data_it", "dashboard_data_it_analyst", "pw");
  }

  @Test
  void theOverviewsDeadLettersAreThePanelsOfBothTopics() throws Exception {
    // setup: two batches; the transactions topic's dead letters are in batch_metrics too, the
    // labels topic's only by reason
    try (Connection c = DashboardDataIT.job.getConnection();
        Statement s = c.createStatement()) {
      for (String t : new String[] {"2026-12-07 10:00:00Z", "2026-12-07 10:00:01Z"}) {
        s.execute(
            "INSERT INTO fraudwatch.batch_metrics (job_name, batch_time, records, dead_letters,"
                + " alerts, processing_ms, scheduling_delay_ms, model_version) VALUES"
                + " ('scorer', '"
                + t
                + "', 100, 2, 1, 50, 0, 1)");
      }
      s.execute(
          "INSERT INTO fraudwatch.batch_dead_letters (job_name, batch_time, reason_code,"
              + " dead_letters) VALUES ('scorer', '2026-12-07 10:00:00Z', 'INVALID', 2),"
              + " ('scorer', '2026-12-07 10:00:01Z', 'INVALID', 2),"
              + " ('scorer', '2026-12-07 10:00:01Z', 'UNDECODABLE_LABEL', 3)");
    }
    Settings dashboard = Settings.load(DashboardConfig.KEYS, Optional.empty(), Map.of(), Map.of());
    Settings job = Settings.load(ScoringConfig.KEYS, Optional.empty(), Map.of(), Map.of());
    DashboardData data =
        new DashboardData(
            analyst,
            DashboardConfig.from(dashboard),
            "fraudwatch",
            ScoringConfig.from(job).drift(),
            Clock.fixed(Instant.parse("2026-12-07T10:05:00Z"), ZoneOffset.UTC));

    // act
    long tile = data.overview().deadLetters();
    long panel = data.deadLetters().total();

    // verify
    assertThat(panel).isEqualTo(7);
    assertThat(tile).isEqualTo(panel);
  }
}
